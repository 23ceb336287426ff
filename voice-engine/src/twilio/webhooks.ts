import { afterHoursTransferNumber } from '../clinic/after-hours.js';
import { loadKnowledge } from '../clinic/knowledge.js';
import type { LiveCalls } from '../call/live-calls.js';
import { settleOutcome } from '../call/outcome.js';
import type { FallbackService } from '../call/fallback.js';
import type { EngineConfig } from '../config.js';
import type { CallStatus } from '../contract.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { isFinalStatus, toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { connectStreamTwiml, emptyTwiml, goodbyeTwiml, voicemailTwiml } from './twiml.js';
import { flagForFollowUp } from '../call/follow-up.js';
import type { WarmTransfers } from '../transfer/warm-transfers.js';

export interface WebhookReply {
  status: number;
  contentType: string;
  body: string;
}

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const KNOWN_STATUSES: ReadonlySet<string> = new Set(['queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled']);

export function twimlReply(body: string): WebhookReply {
  return { status: 200, contentType: 'text/xml', body };
}
const twiml = twimlReply;

function badRequest(message: string): WebhookReply {
  return { status: 400, contentType: 'text/plain', body: message };
}

/**
 * What each Twilio webhook means for the clinic's records. Requests arrive here only
 * after their signature has been checked.
 */
export class TwilioWebhooks {
  private paused = false;

  constructor(
    private readonly config: EngineConfig,
    private readonly store: Store,
    private readonly events: EngineEvents,
    private readonly liveCalls: LiveCalls,
    private readonly fallback: FallbackService,
    private readonly log: Logger,
    private readonly transfers: WarmTransfers,
    /** A call just ended, or left a voicemail: what follows it (a missed-call text). */
    private readonly afterCall: (callId: number) => void = () => undefined,
  ) {}

  routes(): Record<string, (params: Record<string, string>) => WebhookReply> {
    return {
      '/twilio/voice': (p) => this.voice(p),
      '/twilio/status': (p) => this.status(p),
      '/twilio/voicemail': (p) => this.voicemail(p),
      '/twilio/dial-status': (p) => this.dialStatus(p),
    };
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Staff paused answering (from the tray): calls go straight to a person or voicemail. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.log.info(paused ? 'Answering paused: calls go to the front desk or voicemail' : 'Answering resumed');
  }

  voice(params: Record<string, string>): WebhookReply {
    const callSid = params.CallSid ?? '';
    if (!CALL_SID.test(callSid)) return badRequest('CallSid is missing or malformed');
    const { call, created } = this.store.calls.createIfAbsent({
      callSid,
      from: params.From ?? '',
      to: params.To ?? '',
      status: 'ringing',
      startedAt: Date.now(),
      stirVerstat: params.StirVerstat?.slice(0, 64) || null,
    });
    if (created) {
      this.events.emit('call.started', toSummary(call));
      this.log.info(`Call ${call.id} ringing from ${call.fromMasked}`);
    }
    if (isFinalStatus(call.status)) return twiml(emptyTwiml());
    if (this.paused) return twiml(this.fallback.divert(call));
    if (!this.config.openai.apiKey) {
      return twiml(this.fallback.prepare(call, { type: 'openai_not_configured', message: 'OPENAI_API_KEY is not set' }));
    }
    const knowledge = loadKnowledge(this.store);
    const afterHoursTo = afterHoursTransferNumber(knowledge);
    if (afterHoursTo) return twiml(this.fallback.afterHoursTransfer(call, afterHoursTo, knowledge.afterHours.greeting || knowledge.afterHours.defaultGreeting));
    this.liveCalls.begin(call, knowledge);
    const streamUrl = `${this.mediaOrigin()}/twilio/media`;
    return twiml(connectStreamTwiml(streamUrl, { callSid }, { transferNumber: this.config.transferNumber, urls: this.fallback.urls() }));
  }

  status(params: Record<string, string>): WebhookReply {
    const callSid = params.CallSid ?? '';
    const status = params.CallStatus ?? '';
    if (!CALL_SID.test(callSid) || !KNOWN_STATUSES.has(status)) return badRequest('CallSid or CallStatus is missing or malformed');
    if (status === 'queued') return { status: 204, contentType: 'text/plain', body: '' };
    const duration = params.CallDuration !== undefined ? Number(params.CallDuration) : undefined;
    const before = this.store.calls.getBySid(callSid);
    const updated = this.store.calls.updateStatus(callSid, status as CallStatus, Date.now(), Number.isFinite(duration) ? duration : undefined);
    if (!before || !updated) return { status: 204, contentType: 'text/plain', body: '' };
    // Over at Twilio means over here too: the OpenAI session is closed now, not billed on.
    if (isFinalStatus(updated.status)) this.liveCalls.get(callSid)?.endedAtTwilio(status);
    // The media stream's stop may already have ended the call; say so only once.
    const justEnded = isFinalStatus(updated.status) && !isFinalStatus(before.status);
    // The live call may have settled it already, with what only it knew (a transfer).
    if (justEnded && this.store.calls.get(updated.id)?.outcome === null) settleOutcome(this.store, updated.id);
    this.events.emit(justEnded ? 'call.ended' : 'call.updated', toSummary(this.store.calls.get(updated.id) ?? updated));
    // The stream's stop may have ended the call first; what follows is queued once either way.
    if (isFinalStatus(updated.status)) this.afterCall(updated.id);
    return { status: 204, contentType: 'text/plain', body: '' };
  }

  voicemail(params: Record<string, string>): WebhookReply {
    const call = this.store.calls.getBySid(params.CallSid ?? '');
    const recordingSid = params.RecordingSid ?? '';
    const recordingUrl = params.RecordingUrl ?? '';
    if (call && recordingSid && recordingUrl) {
      const duration = Number(params.RecordingDuration);
      const now = Date.now();
      this.store.voicemails.add(call.id, recordingSid, recordingUrl, Number.isFinite(duration) ? duration : null, now);
      flagForFollowUp(this.store, this.events, call.id, true, now);
      this.log.info(`Call ${call.id}: voicemail stored for staff`);
      this.afterCall(call.id);
    }
    return twiml(goodbyeTwiml('Thank you. The team will call you back as soon as they can. Goodbye.'));
  }

  /**
   * A transfer is over. Put through: the call ends when the conversation does. Nobody took
   * it: back to the receptionist, who apologises and takes a message; a voicemail only when
   * the receptionist cannot (answering paused, no OpenAI key, a call at its time limit).
   */
  dialStatus(params: Record<string, string>): WebhookReply {
    const callSid = params.CallSid ?? '';
    const pending = this.transfers.finish(callSid);
    // A desk leg that answered and hung up during the whisper still reports as answered:
    // only the desk's own key press (or staying on the line) says the caller was put through.
    const answered = params.DialCallStatus === 'completed' || params.DialCallStatus === 'answered';
    if (answered && (pending === undefined || pending.accepted)) return twiml(goodbyeTwiml('Goodbye.'));
    const call = this.store.calls.getBySid(callSid);
    if (call && pending?.returnToReceptionist && !this.paused && this.config.openai.apiKey && !isFinalStatus(call.status)) {
      this.log.info(`Call ${call.id}: nobody took the transfer (${params.DialCallStatus ?? 'unknown'}); back to the receptionist`);
      this.liveCalls.resume(call, loadKnowledge(this.store), { memory: pending.memory, declined: pending.declined });
      // If the receptionist fails now, the caller gets a voicemail, not the desk that just rang out.
      return twiml(connectStreamTwiml(`${this.mediaOrigin()}/twilio/media`, { callSid }, { transferNumber: null, urls: this.fallback.urls() }));
    }
    if (call) flagForFollowUp(this.store, this.events, call.id);
    return twiml(
      voicemailTwiml(
        this.fallback.urls().voicemailUrl,
        'Sorry, nobody at the front desk could take your call. Please leave your name, number and a short message after the tone.',
      ),
    );
  }

  private mediaOrigin(): string {
    const base = this.config.publicBaseUrl;
    if (!base) throw new Error('PUBLIC_BASE_URL is required before answering calls');
    return `wss://${base.host}`;
  }
}
