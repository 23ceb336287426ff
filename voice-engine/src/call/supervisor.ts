/**
 * The one place that knows what a live call is waiting for, how long it may wait, and
 * what happens when the wait runs out. Pure: events come in with the time they happened,
 * actions come out, and `poll(now)` fires whatever deadline has passed. The caller of
 * this class keeps a single timer armed at `nextDeadline()`; no sockets, no clocks.
 *
 * Every path ends in the receptionist speaking, the fallback (apology, then the front
 * desk or a voicemail), or a clean end of the call: a silent receptionist is worse than
 * none, because the caller hangs up and the clinic loses the patient.
 */

export interface SupervisorLimits {
  /** From the start of the call until OpenAI confirms the session (`session.updated`). */
  sessionReadyMs: number;
  /** From the voice webhook until Twilio's media stream starts. */
  mediaStartMs: number;
  /** After the caller stops speaking or a reply is asked for, until the reply starts. */
  replyStartMs: number;
  /** A reply that started but sends nothing more for this long has stalled. */
  replyStallMs: number;
  /** A tool still running after this gets a short filler line ("one moment…"). */
  toolFillerMs: number;
  /** A tool still running after this has hung: fallback. */
  toolMaxMs: number;
  /** No caller frame for this long on an open stream (Twilio sends 50 a second, silence included). */
  mediaSilenceMs: number;
  /** Caller silent this long on their turn: ask whether they are still there. */
  idlePromptMs: number;
  /** Still silent this long after that question: say goodbye and end the call. */
  idleHangUpMs: number;
  /** The longest call the clinic allows: then a polite wrap-up. */
  maxCallMs: number;
  /** The wrap-up (or idle goodbye) must have been heard within this, or the call is acted on anyway. */
  wrapUpMs: number;
}

/** The figures the README states, in one place. Idle and call length are clinic settings. */
export const DEFAULT_LIMITS: SupervisorLimits = {
  sessionReadyMs: 2000,
  mediaStartMs: 10_000,
  replyStartMs: 5000,
  replyStallMs: 10_000,
  toolFillerMs: 2500,
  toolMaxMs: 20_000,
  mediaSilenceMs: 10_000,
  idlePromptMs: 10_000,
  idleHangUpMs: 10_000,
  maxCallMs: 30 * 60_000,
  wrapUpMs: 30_000,
};

/** The bounds for one call: the fixed ones above, with the clinic's own idle and length settings. */
export function limitsFor(
  r: { idlePromptS: number; idleHangUpS: number; maxCallMinutes: number },
  mediaStartMs: number,
): SupervisorLimits {
  return { ...DEFAULT_LIMITS, mediaStartMs, idlePromptMs: r.idlePromptS * 1000, idleHangUpMs: r.idleHangUpS * 1000, maxCallMs: r.maxCallMinutes * 60_000 };
}

/** The keypad key that reaches the front desk ('' in Settings turns it off). */
export function keypadFor(r: { transferKey: string }): { key: string; action: 'transfer' | 'off' } {
  return { key: r.transferKey, action: r.transferKey ? 'transfer' : 'off' };
}

/** Why a call left the receptionist or ended; recorded on the call and in system_errors. */
export type SupervisorReason =
  | 'openai_unreachable'
  | 'openai_session_dropped'
  | 'openai_session_rejected'
  | 'openai_session_not_ready'
  | 'openai_reply_failed'
  | 'openai_no_reply'
  | 'openai_reply_stalled'
  | 'tool_stalled'
  | 'tool_failed'
  | 'media_stream_missing'
  | 'media_silent'
  | 'twilio_call_ended'
  | 'idle_caller'
  | 'max_call_length'
  | 'keypad';

export type SpeakPurpose = 'greeting' | 'still-there' | 'idle-goodbye' | 'wrap-up' | 'tool-filler';

export type SupervisorAction =
  /** Ask the model to speak (a response.create, with purpose-specific instructions). */
  | { type: 'speak'; purpose: SpeakPurpose }
  /** A transient reply failure: ask for the same reply once more. */
  | { type: 'retry-reply'; detail: string }
  /** The receptionist cannot carry on: apology, then the front desk or a voicemail. */
  | { type: 'fallback'; reason: SupervisorReason; detail: string }
  /** Hand the call to the front desk now (the keypad, or a wrap-up nobody heard). */
  | { type: 'transfer'; reason: SupervisorReason }
  /** Hang up now (the idle goodbye or wrap-up was given time and is over). */
  | { type: 'hang-up'; reason: SupervisorReason }
  /** The call is over: close the OpenAI session; `hangUp` also ends it at Twilio. */
  | { type: 'end'; reason: SupervisorReason; hangUp: boolean; detail: string };

/** What `response.done` said about a reply that did not complete. */
export interface ReplyFailure {
  status: string;
  /** status_details.reason (incomplete / cancelled) */
  reason?: string;
  /** status_details.error.type or .code (failed) */
  errorType?: string;
  errorCode?: string;
}

/** Failures worth one more try: the service was busy, not the request wrong. */
const TRANSIENT = /rate_limit|server_error|overloaded|timeout|temporarily/i;
/** A reply that ended because the caller talked over it is normal, not a failure. */
const INTERRUPTED_REASONS: ReadonlySet<string> = new Set(['turn_detected', 'client_cancelled']);

type Phase = 'starting' | 'live' | 'over';

export class CallSupervisor {
  private phase: Phase = 'starting';
  private readonly startedAt: number;
  private sessionReady = false;
  private mediaOn = false;
  private lastMediaAt = 0;
  private replyBy: number | null = null;
  private toolsSince: number | null = null;
  private fillerSaid = false;
  private responseActive = false;
  private lastResponseEventAt = 0;
  private playing = false;
  private toolsRunning = false;
  private callerSpeaking = false;
  private failuresInARow = 0;
  /** When the caller's turn began (nobody talking, nothing running); null while it is not theirs. */
  private callerTurnSince: number | null = null;
  private idleStage: 0 | 1 | 2 = 0;
  private wrapUpBy: number | null = null;
  private wrapUpKind: 'idle' | 'max-length' | null = null;

  constructor(
    now: number,
    private readonly limits: SupervisorLimits,
    private readonly keypad: { key: string; action: 'transfer' | 'off' } = { key: '0', action: 'transfer' },
  ) {
    this.startedAt = now;
  }

  get isOver(): boolean {
    return this.phase === 'over';
  }

  /** The caller finished, or the engine asked, and the reply has not started yet. */
  get replyOwed(): boolean {
    return this.replyBy !== null;
  }

  /** The session is configured as asked (`session.updated`): the receptionist greets. */
  sessionConfirmed(now: number): SupervisorAction[] {
    if (this.phase === 'over' || this.sessionReady) return [];
    this.sessionReady = true;
    return [this.speak(now, 'greeting')];
  }

  /** Something the call depends on failed outright (the session refused or dropped, a tool crashed). */
  cannotCarryOn(reason: SupervisorReason, detail: string): SupervisorAction[] {
    return this.fallback(reason, detail);
  }

  mediaStarted(now: number): void {
    if (this.phase === 'starting') this.phase = 'live';
    this.mediaOn = true;
    this.lastMediaAt = now;
  }

  /** Every caller frame: kept to one assignment, it runs 50 times a second per call. */
  mediaFrame(now: number): void {
    this.lastMediaAt = now;
  }

  callerSpeechStarted(now: number): void {
    this.callerSpeaking = true;
    this.replyBy = null;
    this.idleStage = 0;
    if (this.wrapUpKind === 'idle') this.clearWrapUp();
    this.updateTurn(now);
  }

  /** The caller finished a sentence: a reply must start soon. */
  callerSpeechStopped(now: number): void {
    this.callerSpeaking = false;
    if (this.phase !== 'over') this.replyBy = now + this.limits.replyStartMs;
    this.updateTurn(now);
  }

  /** The engine asked for a reply itself (a tool result, a prompt). */
  replyRequested(now: number): void {
    if (this.phase !== 'over') this.replyBy = now + this.limits.replyStartMs;
  }

  responseStarted(now: number): void {
    this.responseActive = true;
    this.lastResponseEventAt = now;
    this.replyBy = null;
    this.updateTurn(now);
  }

  /** Audio (or anything else) from the reply in progress: it is still alive. One assignment, per chunk. */
  responseProgress(now: number): void {
    this.lastResponseEventAt = now;
  }

  /** `response.done`. `failure` is set when the reply did not complete. */
  responseDone(now: number, failure: ReplyFailure | null): SupervisorAction[] {
    this.responseActive = false;
    this.updateTurn(now);
    if (this.phase === 'over') return [];
    if (!failure) {
      this.failuresInARow = 0;
      return [];
    }
    if (failure.status === 'cancelled' || (failure.reason !== undefined && INTERRUPTED_REASONS.has(failure.reason))) return [];
    const what = failure.errorCode ?? failure.errorType ?? failure.reason ?? failure.status;
    const detail = `reply ${failure.status}: ${what}`;
    const transient = failure.status === 'incomplete' || TRANSIENT.test(`${failure.errorType ?? ''} ${failure.errorCode ?? ''}`);
    this.failuresInARow++;
    if (transient && this.failuresInARow === 1) {
      this.replyBy = now + this.limits.replyStartMs;
      return [{ type: 'retry-reply', detail }];
    }
    return this.fallback('openai_reply_failed', detail);
  }

  playbackChanged(now: number, playing: boolean): void {
    if (this.playing === playing) return;
    this.playing = playing;
    this.updateTurn(now);
  }

  toolsStarted(now: number): void {
    this.toolsRunning = true;
    this.toolsSince = now;
    this.fillerSaid = false;
    this.updateTurn(now);
  }

  toolsFinished(now: number): void {
    this.toolsRunning = false;
    this.toolsSince = null;
    this.updateTurn(now);
  }

  /** A key on the caller's keypad. Returns the action it maps to, if any. */
  digit(digit: string): SupervisorAction[] {
    if (this.phase === 'over' || this.keypad.action === 'off' || digit !== this.keypad.key) return [];
    this.phase = 'over';
    return [{ type: 'transfer', reason: 'keypad' }];
  }

  /** Twilio's final status callback: the call is over, whatever the socket says. */
  twilioEnded(status: string): SupervisorAction[] {
    return this.end('twilio_call_ended', false, `Twilio reported the call ${status}`);
  }

  /** The call ended for a reason outside the supervisor (stream stop, fallback, shutdown). */
  stop(): void {
    this.phase = 'over';
  }

  /** The earliest time something is due, or Infinity. */
  nextDeadline(): number {
    if (this.phase === 'over') return Infinity;
    let next = Infinity;
    const consider = (t: number | null) => {
      if (t !== null && t < next) next = t;
    };
    if (!this.sessionReady) consider(this.startedAt + this.limits.sessionReadyMs);
    if (!this.mediaOn) consider(this.startedAt + this.limits.mediaStartMs);
    else consider(this.lastMediaAt + this.limits.mediaSilenceMs);
    consider(this.replyBy);
    if (this.responseActive) consider(this.lastResponseEventAt + this.limits.replyStallMs);
    if (this.toolsSince !== null) {
      consider(this.fillerSaid ? null : this.toolsSince + this.limits.toolFillerMs);
      consider(this.toolsSince + this.limits.toolMaxMs);
    }
    consider(this.idleDeadline());
    consider(this.wrapUpBy ?? (this.wrapUpKind === null ? this.startedAt + this.limits.maxCallMs : null));
    return next;
  }

  /** Fires every deadline that has passed by `now`, most serious first. */
  poll(now: number): SupervisorAction[] {
    if (this.phase === 'over') return [];
    const { limits } = this;
    if (!this.sessionReady && now >= this.startedAt + limits.sessionReadyMs) {
      return this.fallback('openai_session_not_ready', `OpenAI did not confirm the session within ${limits.sessionReadyMs} ms`);
    }
    if (!this.mediaOn && now >= this.startedAt + limits.mediaStartMs) {
      return this.fallback('media_stream_missing', `Twilio did not start the media stream within ${limits.mediaStartMs} ms`);
    }
    if (this.mediaOn && now >= this.lastMediaAt + limits.mediaSilenceMs) {
      return this.end('media_silent', true, `No caller audio for ${limits.mediaSilenceMs} ms on an open media stream`);
    }
    if (this.replyBy !== null && now >= this.replyBy) {
      return this.fallback('openai_no_reply', `No reply started within ${limits.replyStartMs} ms`);
    }
    if (this.responseActive && now >= this.lastResponseEventAt + limits.replyStallMs) {
      return this.fallback('openai_reply_stalled', `A reply sent nothing for ${limits.replyStallMs} ms and never finished`);
    }
    if (this.toolsSince !== null && now >= this.toolsSince + limits.toolMaxMs) {
      return this.fallback('tool_stalled', `A tool ran for more than ${limits.toolMaxMs} ms`);
    }
    const actions: SupervisorAction[] = [];
    if (this.toolsSince !== null && !this.fillerSaid && now >= this.toolsSince + limits.toolFillerMs) {
      this.fillerSaid = true;
      // Only if nothing else is being said: a filler over a reply would be talking twice.
      if (!this.responseActive && !this.playing) actions.push(this.speak(now, 'tool-filler'));
    }
    if (this.wrapUpBy !== null && now >= this.wrapUpBy) {
      const kind = this.wrapUpKind;
      this.phase = 'over';
      actions.push(kind === 'max-length' ? { type: 'transfer', reason: 'max_call_length' } : { type: 'hang-up', reason: 'idle_caller' });
      return actions;
    }
    if (this.wrapUpKind === null && now >= this.startedAt + limits.maxCallMs) {
      this.startWrapUp(now, 'max-length');
      actions.push(this.speak(now, 'wrap-up'));
      return actions;
    }
    const idleAt = this.idleDeadline();
    if (idleAt !== null && now >= idleAt) {
      if (this.idleStage === 0) {
        this.idleStage = 1;
        this.callerTurnSince = null; // the question itself takes the turn
        actions.push(this.speak(now, 'still-there'));
      } else {
        this.idleStage = 2;
        this.startWrapUp(now, 'idle');
        actions.push(this.speak(now, 'idle-goodbye'));
      }
    }
    return actions;
  }

  /** Whether a wrap-up (max length or idle goodbye) is under way: its reply ends the call. */
  get wrappingUp(): 'idle' | 'max-length' | null {
    return this.wrapUpKind;
  }

  private idleDeadline(): number | null {
    if (this.callerTurnSince === null || this.idleStage === 2 || !this.mediaOn) return null;
    return this.callerTurnSince + (this.idleStage === 0 ? this.limits.idlePromptMs : this.limits.idleHangUpMs);
  }

  /** The caller's turn: nobody speaking, no reply coming, no tool running. */
  private updateTurn(now: number): void {
    const theirs = this.sessionReady && !this.callerSpeaking && !this.responseActive && !this.playing && !this.toolsRunning && this.replyBy === null;
    if (!theirs) this.callerTurnSince = null;
    else if (this.callerTurnSince === null) this.callerTurnSince = now;
  }

  private speak(now: number, purpose: SpeakPurpose): SupervisorAction {
    this.replyBy = now + this.limits.replyStartMs;
    this.updateTurn(now);
    return { type: 'speak', purpose };
  }

  private startWrapUp(now: number, kind: 'idle' | 'max-length'): void {
    this.wrapUpKind = kind;
    this.wrapUpBy = now + this.limits.wrapUpMs;
  }

  private clearWrapUp(): void {
    this.wrapUpKind = null;
    this.wrapUpBy = null;
  }

  private fallback(reason: SupervisorReason, detail: string): SupervisorAction[] {
    if (this.phase === 'over') return [];
    this.phase = 'over';
    return [{ type: 'fallback', reason, detail }];
  }

  private end(reason: SupervisorReason, hangUp: boolean, detail: string): SupervisorAction[] {
    if (this.phase === 'over') return [];
    this.phase = 'over';
    return [{ type: 'end', reason, hangUp, detail }];
  }
}
