import { functionCallOutput } from '../realtime/protocol.js';
import type { RealtimeSession } from '../realtime/session.js';
import type { ToolContext } from './tools.js';
import { runRecordedTools, type ModelToolCall } from './recorded-tools.js';
import type { CallDeps } from './call-deps.js';

/** What a live call lends the tool turns. */
export interface ToolTurnHost {
  /** The session the call is talking on now (a rollover may swap it while tools run). */
  session(): RealtimeSession | null;
  /** The receptionist still has the call (it has not ended or gone to the fallback). */
  withReceptionist(): boolean;
  callerSpeaking(): boolean;
  context(): ToolContext;
  /** Tools started or finished: the supervisor and the live card are told. */
  busyChanged(busy: boolean): void;
  /** The reply that called them already announced its goodbye or transfer: true when that takes care of what follows. */
  announced(replySpoke: boolean): boolean;
  requestReply(): void;
  trySwap(): void;
  failed(error: Error): void;
}

/**
 * The model's function calls on a live call: gathered while its reply runs, run in order
 * once it is done, and answered back to the session that asked, then a reply asked for.
 */
export class ToolTurns {
  private readonly pending: ModelToolCall[] = [];
  private running = false;

  constructor(
    private readonly deps: Pick<CallDeps, 'store' | 'events' | 'tools'>,
    private readonly callId: number,
    private readonly host: ToolTurnHost,
  ) {}

  get busy(): boolean {
    return this.pending.length > 0 || this.running;
  }

  get isRunning(): boolean {
    return this.running;
  }

  add(call: ModelToolCall): void {
    this.pending.push(call);
  }

  /** The reply is done: run what it asked for; `cancelled` (the caller talked over it) answers each as not run. Returns false when there was nothing. */
  replyDone(cancelled: boolean, replySpoke: boolean): boolean {
    const calls = this.pending.splice(0);
    if (calls.length === 0) return false;
    if (cancelled) {
      const session = this.host.session();
      for (const call of calls) session?.send(functionCallOutput(call.callId, { not_run: true, reason: 'The caller spoke before this ran. Listen to what they said now.' }));
      return true;
    }
    this.run(calls, replySpoke).catch((err: Error) => {
      this.running = false;
      this.host.failed(err);
    });
    return true;
  }

  private async run(calls: ModelToolCall[], replySpoke: boolean): Promise<void> {
    const session = this.host.session();
    this.running = true;
    this.host.busyChanged(true);
    const outputs = await runRecordedTools(this.deps, this.callId, calls, () => this.host.context());
    this.running = false;
    this.host.busyChanged(false);
    // A session swapped out or a call ended meanwhile has nobody to hear the answer.
    if (!session || session !== this.host.session() || !this.host.withReceptionist()) return;
    for (const output of outputs) session.send(functionCallOutput(output.callId, output.result));
    // A caller already talking again gets the answer in the reply server VAD makes when they stop.
    if (!this.host.announced(replySpoke) && !this.host.callerSpeaking()) this.host.requestReply();
    this.host.trySwap();
  }
}
