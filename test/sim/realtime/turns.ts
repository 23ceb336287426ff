import type { SimError } from './events.js';
import { invalidRequest } from './events.js';
import { AudioResponse, sendFailedResponse, sendFunctionCall, type Pacing, type ResponseRecord, type Wire } from './response.js';
import { usageBlock } from './events.js';
import { FILLER_REPLIES, QUIET, isSpoken, type Reply, type Script, type Turn } from './script.js';
import { voiceLike } from './voice.js';

/**
 * Walks a session's script: which replies answer a response.create or an
 * utterance, one response at a time, pausing at function calls until the
 * client returns their output.
 */

export interface TurnHost {
  readonly index: number;
  readonly wire: Wire;
  readonly pacing: Pacing;
  readonly isOpen: boolean;
  lastUtteranceAudio(): Buffer;
  sendError(error: SimError, clientEventId?: unknown, injected?: boolean): void;
  record(response: ResponseRecord): void;
  /** Refuses a scripted function call the session does not allow; returns the reason, or null when allowed. */
  checkCall(name: string, args: Record<string, unknown>): string | null;
  drop(): void;
}

interface PendingCall {
  callId: string;
  rest: Reply[];
  outputArrived: boolean;
}

export class TurnRunner {
  private greetingPlayed = false;
  private turnIndex = 0;
  private pendingCall: PendingCall | undefined;
  /** A turn committed without auto-response (client commit, or create_response off) waits here. */
  private heldTurn: Reply[] | undefined;
  private active: AudioResponse | undefined;
  private runs = 0;
  private queue: Promise<void> = Promise.resolve();
  private voiceSerial = 0;
  private abandoned = false;

  constructor(private readonly host: TurnHost, private readonly script: Script) {}

  private get filler(): readonly Reply[] {
    return this.script.afterScript === 'quiet' ? QUIET : FILLER_REPLIES;
  }

  /** True while any response is being produced or waits to be. */
  get busy(): boolean {
    return this.runs > 0;
  }

  nextTurn(): Turn {
    const turn = this.script.turns?.[this.turnIndex++];
    return turn ?? { user: '(unscripted)', replies: [...this.filler] };
  }

  /** Plays replies after whatever is already playing (only overlaps when interrupt_response is off), `afterMs` later. */
  play(replies: readonly Reply[], request?: unknown, afterMs = 0): void {
    this.runs++;
    this.queue = this.queue
      .then(() => (afterMs > 0 ? new Promise((resolve) => setTimeout(resolve, afterMs)) : undefined))
      .then(() => this.run(replies, request))
      .catch((err: unknown) => {
        // A sim bug must not wedge the queue for the rest of the call; say it loudly instead.
        console.error(`realtime sim session ${this.host.index}: reply run failed`, err);
      })
      .finally(() => {
        this.runs--;
      });
  }

  holdForResponseCreate(replies: Reply[]): void {
    this.heldTurn = replies;
  }

  onResponseCreate(request: unknown, clientEventId: unknown): void {
    if (this.busy) {
      const id = this.active?.record.id ?? 'resp_pending';
      return this.host.sendError(invalidRequest('conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${id}. Wait until the response is finished before creating a new one.`),
      clientEventId);
    }
    // A response.create that answers something specific (a function output, a
    // client-committed turn) takes that; otherwise the first one is the greeting.
    let replies: readonly Reply[] = this.filler;
    if (this.pendingCall?.outputArrived) {
      replies = this.pendingCall.rest.length > 0 ? this.pendingCall.rest : this.filler;
      this.pendingCall = undefined;
    } else if (this.heldTurn) {
      replies = this.heldTurn;
      this.heldTurn = undefined;
    } else if (!this.greetingPlayed) {
      this.greetingPlayed = true;
      replies = this.script.greeting ?? this.filler;
    }
    this.play(replies, request ?? {});
  }

  onResponseCancel(clientEventId: unknown): void {
    if (this.active?.active) return this.active.cancel('client_cancelled');
    this.host.sendError(invalidRequest('response_cancel_not_active', 'Cancellation failed: no active response found'), clientEventId);
  }

  onFunctionOutput(callId: string): void {
    if (this.pendingCall?.callId === callId) this.pendingCall.outputArrived = true;
  }

  /** Server VAD heard the caller: stop the response that is still streaming (interrupt_response). */
  interrupt(): void {
    if (this.active?.active) this.active.cancel('turn_detected');
  }

  abandon(): void {
    this.abandoned = true;
    this.active?.abandon();
  }

  private async run(replies: readonly Reply[], request: unknown): Promise<void> {
    for (let i = 0; i < replies.length; ) {
      if (this.abandoned || !this.host.isOpen) return;
      const reply = replies[i]!;
      if (isSpoken(reply)) {
        // Consecutive spoken replies are one response, as the model would say them in one breath.
        const texts: string[] = [];
        const audio: Buffer[] = [];
        for (let r = replies[i]; r && isSpoken(r); r = replies[++i]) {
          if ('echo' in r) {
            texts.push('(echo)');
            audio.push(this.host.lastUtteranceAudio());
          } else {
            texts.push(r.say);
            audio.push(r.audio ?? voiceLike(r.say, this.host.index, this.voiceSerial++));
          }
        }
        const response = new AudioResponse(this.host.wire, this.host.pacing, texts.join(' '),
          audio.length === 1 ? audio[0]! : Buffer.concat(audio), request);
        request = undefined;
        // Speech followed by a function call is one response, as the real model sends it.
        const next = replies[i];
        let callsAfter = false;
        if (next && 'call' in next) {
          const problem = this.host.checkCall(next.call, next.arguments);
          if (problem) {
            this.host.sendError(invalidRequest('tool_not_callable', problem));
            return;
          }
          const rest = replies.slice(i + 1);
          callsAfter = true;
          response.thenCall(next.call, next.arguments, (record) => {
            this.host.record(record);
            this.pendingCall = { callId: record.callId!, rest, outputArrived: false };
          });
        }
        this.host.record(response.record);
        this.active = response;
        response.start();
        const outcome = await response.finished;
        if (this.active === response) this.active = undefined;
        if (outcome === 'cancelled') return; // an interrupted model abandons the rest of its turn
        if (callsAfter) return; // the turn waits for the function's output
      } else if ('call' in reply) {
        const problem = this.host.checkCall(reply.call, reply.arguments);
        if (problem) {
          // The real model only calls declared tools with valid arguments; a script that asks otherwise is a test bug.
          this.host.sendError(invalidRequest('tool_not_callable', problem));
          return;
        }
        const rest = replies.slice(i + 1);
        const pacing = this.host.pacing;
        const usage = usageBlock(Math.ceil(JSON.stringify(reply.arguments).length / 4), 0, pacing.inputBytes?.() ?? 0, (pacing.responsesBefore?.() ?? 0) > 0 ? 200 : 0);
        sendFunctionCall(this.host.wire, pacing.conversationId, reply.call, reply.arguments, request, (record) => {
          this.host.record(record);
          this.pendingCall = { callId: record.callId!, rest, outputArrived: false };
        }, usage);
        return;
      } else if ('error' in reply) {
        this.host.sendError(reply.error, undefined, true);
        i++;
      } else if ('fail' in reply) {
        sendFailedResponse(this.host.wire, this.host.pacing.conversationId, reply.fail, (record) => this.host.record(record));
        return; // a failed response ends the turn, as it would at OpenAI
      } else if ('silent' in reply) {
        return;
      } else {
        this.host.drop();
        return;
      }
    }
  }
}
