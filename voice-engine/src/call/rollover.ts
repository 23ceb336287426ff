import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { EngineConfig } from '../config.js';
import type { Logger } from '../log.js';
import { buildInstructions } from '../realtime/instructions.js';
import { conversationLine, type RealtimeSignal } from '../realtime/protocol.js';
import { RealtimeSession, type SessionFailure } from '../realtime/session.js';
import type { Store } from '../store/index.js';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import type { ToolRegistry } from './tools.js';
import { phoneToolsOff } from '../recording/recording-consent.js';
import { CallTimers } from './call-timers.js';
import { RecentAudio } from './recent-audio.js';
import type { SupervisorReason } from './supervisor.js';

export interface RolloverDeps {
  config: EngineConfig;
  tools: ToolRegistry;
  knowledge: ClinicKnowledge;
  store: Store;
  callId: number;
  log: Logger;
}

export interface RolloverEvents {
  /** The call's first session is confirmed: the receptionist may greet. */
  ready(): void;
  /** A chunk of model audio from the session carrying the call. */
  audio(itemId: string, payloadBase64: string): void;
  /** A signal from the session carrying the call. */
  signal(signal: RealtimeSignal): void;
  /** A transcript line a swapped-out session completed after the swap: still part of the call. */
  lateLine(signal: RealtimeSignal): void;
  /** The session carrying the call failed and there is no fresh one to move to. */
  failed(reason: SupervisorReason, error: Error): void;
  /** A fresh session took over: nothing is in progress on it. */
  swapped(): void;
  /** Nobody is talking and no reply is owed or being made: a pause to swap in. */
  quiet(): boolean;
  /** A tool is running or its result is unsent: never swap then, its answer belongs to this session. */
  toolsBusy(): boolean;
  recordWarning(type: string, message: string, error?: Error): void;
}

/** How long a rollover waits for a pause in the conversation before swapping anyway. */
const ROLLOVER_MAX_WAIT_MS = 30_000;
/** A fresh session not confirmed by then is given up and tried again. */
const ROLLOVER_READY_MS = 5000;
const ROLLOVER_RETRY_MS = 2000;
/** Attempts per rollover; the default limit leaves five minutes before OpenAI's cap. */
const ROLLOVER_ATTEMPTS = 3;
/** Caller audio replayed into a fresh session, so a word begun at the swap is not clipped. */
const REPLAY_FRAMES = 15;

const FAILURE_REASON: Record<SessionFailure['reason'], SupervisorReason> = {
  'connect-failed': 'openai_unreachable',
  rejected: 'openai_session_rejected',
  dropped: 'openai_session_dropped',
};

/**
 * The Realtime session carrying a call, and its replacement before OpenAI's 60-minute
 * session cap: opened early, given the conversation so far as conversation items, and
 * swapped in during a pause, never while a tool's answer is owed to the old one.
 */
export class SessionRollover {
  current: RealtimeSession | null = null;
  private next: RealtimeSession | null = null;
  private attempts = 0;
  private closed = false;
  private readonly recent = new RecentAudio(REPLAY_FRAMES);
  private readonly timers = new CallTimers();

  constructor(
    private readonly deps: RolloverDeps,
    private readonly events: RolloverEvents,
  ) {}

  /** `carry`: the conversation so far, for a call the receptionist picks up again. */
  open(carry: Array<{ speaker: 'caller' | 'receptionist'; text: string }> | null = null): void {
    this.current = this.create(carry);
  }

  appendAudio(payload: string): void {
    this.current?.appendAudio(payload);
    this.recent.push(payload);
  }

  send(event: RealtimeClientEvent): void {
    this.current?.send(event);
  }

  /** Swaps in the fresh session if one is ready and the conversation allows it. */
  trySwap(force: boolean): void {
    const next = this.next;
    if (!next?.isReady || this.closed || this.events.toolsBusy()) return;
    if (!force && !this.events.quiet()) return;
    const old = this.current;
    this.current = next;
    this.next = null;
    this.attempts = 0;
    old?.close();
    this.events.swapped();
    for (const payload of this.recent.replay()) next.appendAudio(payload);
    this.deps.log.info(`Call ${this.deps.callId}: moved to a fresh Realtime session`);
  }

  closeAll(): void {
    this.closed = true;
    this.timers.clear();
    this.current?.close();
    this.next?.close();
  }

  private create(carry: Array<{ speaker: 'caller' | 'receptionist'; text: string }> | null): RealtimeSession {
    const { config, tools, knowledge } = this.deps;
    const session: RealtimeSession = new RealtimeSession(
      {
        apiKey: config.openai.apiKey ?? '',
        baseUrl: config.openai.baseUrl,
        model: config.openai.model,
        settings: { instructions: buildInstructions(knowledge, Date.now(), carry !== null), voice: knowledge.receptionist.voice, tools: tools.definitions(phoneToolsOff(knowledge)) },
      },
      {
        onOpen: () => {
          for (const line of carry ?? []) session.send(conversationLine(line.speaker, line.text));
        },
        onReady: () => {
          if (session === this.current) this.events.ready();
          else if (session === this.next) this.trySwap(false);
        },
        // A swapped-out session's audio is never played: the caller hears one voice at a time.
        onAudio: (itemId, payload) => {
          if (session === this.current) this.events.audio(itemId, payload);
        },
        onSignal: (signal) => {
          if (session === this.current) this.events.signal(signal);
          else if (signal.kind === 'caller-transcript' || signal.kind === 'assistant-transcript') this.events.lateLine(signal);
        },
        onFailure: (failure) => this.failed(session, failure),
      },
    );
    this.timers.after(config.realtimeSessionLimitMs, () => {
      if (session === this.current) this.begin();
    });
    return session;
  }

  private begin(): void {
    if (this.closed || this.next) return;
    this.attempts++;
    const lines = this.deps.store.transcripts.list(this.deps.callId);
    const next = this.create(lines);
    this.next = next;
    this.deps.log.info(`Call ${this.deps.callId}: opening a fresh Realtime session before the session limit (attempt ${this.attempts})`);
    this.timers.after(ROLLOVER_READY_MS, () => {
      if (this.next !== next || next.isReady) return;
      next.close();
      this.next = null;
      this.events.recordWarning('openai_rollover_failed', `The fresh session was not confirmed within ${ROLLOVER_READY_MS} ms`);
      this.retry();
    });
    this.timers.after(ROLLOVER_MAX_WAIT_MS, () => this.trySwap(true));
  }

  private retry(): void {
    if (this.attempts < ROLLOVER_ATTEMPTS) this.timers.after(ROLLOVER_RETRY_MS, () => this.begin());
    else this.events.recordWarning('openai_rollover_gave_up', `No fresh session after ${this.attempts} attempts; the call stays on its session`);
  }

  private failed(session: RealtimeSession, failure: SessionFailure): void {
    if (this.closed) return;
    if (session === this.next) {
      this.next = null;
      this.events.recordWarning('openai_rollover_failed', failure.error.message, failure.error);
      this.retry();
      return;
    }
    if (session !== this.current) return;
    if (this.next?.isReady) {
      // The old session is gone: whatever it owed is lost either way, so move now.
      this.current = this.next;
      this.next = null;
      this.attempts = 0;
      this.events.swapped();
      return;
    }
    this.events.failed(FAILURE_REASON[failure.reason], failure.error);
  }

}
