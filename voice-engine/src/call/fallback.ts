import type { EngineConfig } from '../config.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { isFinalStatus, type StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import type { TwilioRestClient } from '../twilio/rest.js';
import { fallbackTwiml, transferTwiml, voicemailTwiml, warmTransferTwiml, type FallbackUrls } from '../twilio/twiml.js';
import { announceFollowUp } from './follow-up.js';

export interface FailureReport {
  type: string;
  message: string;
  error?: Error;
}

/**
 * When the receptionist cannot carry a call, the live call is redirected through
 * Twilio REST to an apology and then the front desk, or a voicemail when there is no
 * one to transfer to. The failure is recorded for staff either way.
 */
export class FallbackService {
  constructor(
    private readonly config: EngineConfig,
    private readonly rest: () => TwilioRestClient | null,
    private readonly store: Store,
    private readonly events: EngineEvents,
    private readonly log: Logger,
    /** Counts each fallback by its reason (metrics). */
    private readonly onFallback: (reason: string) => void = () => undefined,
  ) {}

  urls(): FallbackUrls {
    const base = this.config.publicBaseUrl?.origin ?? '';
    return {
      voicemailUrl: `${base}/twilio/voicemail`,
      dialStatusUrl: `${base}/twilio/dial-status`,
      whisperUrl: `${base}/twilio/transfer/whisper`,
      whisperAnswerUrl: `${base}/twilio/transfer/answer`,
    };
  }

  twiml(): string {
    return fallbackTwiml(this.config.transferNumber, this.urls());
  }

  /** Sends a call to a person or voicemail on purpose (answering paused); returns the TwiML. */
  divert(call: StoredCall): string {
    const now = Date.now();
    this.store.calls.markFallback(call.id, this.config.transferNumber ? 'transfer' : 'voicemail', now);
    this.store.supervision.markHandedOff(call.id, now);
    announceFollowUp(this.store, this.events, call.id);
    return this.twiml();
  }

  /**
   * After hours with "transfer": the call goes to the after-hours number or answering
   * service with the after-hours greeting, never to the receptionist; an unanswered
   * transfer ends in a voicemail (the dial-status webhook). Returns the TwiML.
   */
  afterHoursTransfer(call: StoredCall, to: string, greeting: string): string {
    const now = Date.now();
    this.store.supervision.recordEndReason(call.id, 'after_hours_transfer', now);
    this.store.supervision.markHandedOff(call.id, now);
    this.store.calls.setOutcome(call.id, 'transferred', now);
    this.log.info(`Call ${call.id}: after hours, transferred to the after-hours number`);
    return transferTwiml(to, this.urls().dialStatusUrl, greeting);
  }

  /** Records the failure and marks the call for staff; returns the TwiML to play. */
  prepare(call: StoredCall, failure: FailureReport): string {
    this.store.systemErrors.record({
      type: failure.type,
      severity: 'error',
      callId: call.id,
      message: failure.message,
      stack: failure.error?.stack ?? null,
      occurredAt: Date.now(),
    });
    this.store.supervision.recordEndReason(call.id, failure.type, Date.now());
    this.onFallback(failure.type);
    this.log.warn(`Call ${call.id} sent to fallback (${failure.type}): ${failure.message}`);
    return this.divert(call);
  }

  /**
   * The caller asked for a person (the keypad), or the call reached its time limit: the
   * front desk, or a voicemail when there is no one to transfer to. Not a failure.
   * `whispered`: a warm transfer is registered for it, so the desk hears who is calling.
   */
  async handOff(call: StoredCall, reason: string, whispered = false): Promise<void> {
    const now = Date.now();
    this.store.supervision.recordEndReason(call.id, reason, now);
    this.store.supervision.markHandedOff(call.id, now);
    const { transferNumber } = this.config;
    const urls = this.urls();
    const announcement = 'Connecting you to the front desk now.';
    const twiml = transferNumber
      ? whispered
        ? warmTransferTwiml(transferNumber, call.callSid, urls, announcement)
        : transferTwiml(transferNumber, urls.dialStatusUrl, announcement)
      : voicemailTwiml(urls.voicemailUrl, 'Please leave your name, number and a short message after the tone, and the team will call you back.');
    await this.sendRedirect(call, twiml);
  }

  /** Moves a call that is already connected off the receptionist and onto the fallback. */
  async redirect(call: StoredCall, failure: FailureReport): Promise<void> {
    const current = this.store.calls.get(call.id);
    if (current && isFinalStatus(current.status)) return;
    await this.sendRedirect(call, this.prepare(call, failure));
  }

  /** The REST redirect: used when there is no media stream to end, or ending it went unanswered. */
  async sendRedirect(call: StoredCall, twiml: string): Promise<void> {
    const rest = this.rest();
    if (!rest) {
      this.recordRedirectFailure(call, new Error('Twilio credentials are not set, so the call could not be redirected'));
      return;
    }
    try {
      await rest.calls(call.callSid).update({ twiml });
    } catch (err) {
      this.recordRedirectFailure(call, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private recordRedirectFailure(call: StoredCall, error: Error): void {
    this.store.systemErrors.record({
      type: 'fallback_redirect_failed',
      severity: 'critical',
      callId: call.id,
      message: error.message,
      stack: error.stack ?? null,
      occurredAt: Date.now(),
    });
    this.log.error(`Call ${call.id} could not be redirected to the fallback: ${error.message}`);
  }
}
