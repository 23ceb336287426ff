import type { StoredCall } from '../store/calls.js';
import type { AfterReply } from './after-reply.js';
import type { CallDeps } from './live-call.js';
import type { TwilioOutput } from './twilio-output.js';
import { whisperSentence, type WhisperFacts } from '../transfer/whisper.js';

/** Ending the media stream plays the fallback after </Connect>; unanswered this long, the REST redirect goes instead. */
const STREAM_CLOSE_ACK_MS = 1000;

/** What the exits need from the call they end. */
export interface ExitHost {
  /** Takes the call off the receptionist (sessions closed, supervisor stopped); false if it already left. */
  leaveReceptionist(): boolean;
  /** The call is over for the engine; settles and reports it. */
  finish(reason: string): void;
  markTransferred(): void;
  /** The tools' memory of the call, kept for a transfer that comes back. */
  memory(): Map<string, unknown>;
  recordError(type: string, severity: 'warning' | 'error' | 'critical', message: string, error?: Error): void;
}

/**
 * Every way a live call leaves the receptionist: the fallback when it cannot carry on,
 * a hand-off to the front desk (the keypad, an overdue wrap-up), and the hang-up or
 * transfer a reply announced. Each failure of Twilio's API here is recorded, never thrown.
 */
export class CallExits {
  private streamGone: (() => void) | null = null;

  constructor(
    private readonly call: StoredCall,
    private readonly deps: Pick<CallDeps, 'config' | 'control' | 'fallback' | 'log' | 'transfers'>,
    private readonly twilio: TwilioOutput,
    private readonly host: ExitHost,
  ) {}

  /** The media socket has closed (whoever closed it). */
  streamClosed(): void {
    this.streamGone?.();
  }

  /**
   * The receptionist cannot carry on. The stream TwiML already holds the fallback after
   * </Connect>, so ending the media stream plays it at once; the REST redirect is only the
   * backup, for a call with no stream yet or a stream that does not answer the close.
   */
  failOver(type: string, error: Error, hasStream: boolean): void {
    if (!this.host.leaveReceptionist()) return;
    const twiml = this.deps.fallback.prepare(this.call, { type, message: error.message, error });
    const closed = hasStream ? this.endStream() : Promise.resolve(false);
    closed
      .then((acknowledged) => (acknowledged ? undefined : this.deps.fallback.sendRedirect(this.call, twiml)))
      .catch((err: Error) => this.host.recordError('fallback_redirect_failed', 'critical', err.message, err))
      .finally(() => this.host.finish('sent to fallback'));
  }

  /** Keypad or an overdue wrap-up: the front desk (or a voicemail) now, not a failure. */
  handOff(reason: string): void {
    if (!this.host.leaveReceptionist()) return;
    const toDesk = this.deps.config.transferNumber !== null;
    if (toDesk) {
      this.host.markTransferred();
      // The caller asked for a person: if nobody takes it, the receptionist takes a message. A call at its time limit does not come back.
      const keypad = reason !== 'max_call_length';
      this.whisper({ reason: keypad ? 'pressed the key for the front desk' : 'the call reached its time limit' }, keypad);
    }
    this.deps.fallback
      .handOff(this.call, reason, toDesk)
      .catch((err: Error) => this.host.recordError('transfer_failed', 'error', err.message, err))
      .finally(() => this.host.finish(`handed off (${reason})`));
  }

  /** The goodbye or "putting you through" has been heard: now act on the call. */
  afterReply(action: AfterReply): void {
    if (action.kind === 'transfer') {
      this.host.markTransferred();
      this.whisper(action.whisper ?? {}, action.final !== true);
    }
    const { control, log } = this.deps;
    const done = action.kind === 'hang-up' ? control.hangUp(this.call.callSid) : control.transfer(this.call.callSid, action.to);
    done.catch((err: Error) => {
      this.host.recordError(action.kind === 'hang-up' ? 'hang_up_failed' : 'transfer_failed', 'error', err.message, err);
      log.error(`Call ${this.call.id}: could not ${action.kind === 'hang-up' ? 'hang up' : 'transfer'}: ${err.message}`);
    });
  }

  /** Registers the transfer's whisper before Twilio rings the desk and asks for it. */
  private whisper(facts: Omit<WhisperFacts, 'callerNumber'>, returnToReceptionist: boolean): void {
    this.deps.transfers.start({
      callSid: this.call.callSid,
      callId: this.call.id,
      whisper: whisperSentence({ ...facts, callerNumber: this.call.fromNumber }),
      returnToReceptionist,
      startedAt: Date.now(),
      memory: this.host.memory(),
    });
  }

  /** Ends the call at Twilio (a stream that went quiet). */
  hangUp(): void {
    this.deps.control.hangUp(this.call.callSid).catch((err: Error) => this.host.recordError('hang_up_failed', 'error', err.message, err));
  }

  /** Closes the media socket; true when Twilio answered the close (it then plays what follows </Connect>). */
  private endStream(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), STREAM_CLOSE_ACK_MS);
      this.streamGone = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.twilio.close(1000, 'call moved to fallback');
    });
  }
}
