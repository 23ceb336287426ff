import { loadKnowledge } from '../clinic/knowledge.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { ACCEPT_KEY, DECLINE_KEY, forCall, whisperAnsweredTwiml, whisperTwiml, type FallbackUrls } from '../twilio/twiml.js';
import { twimlReply, type WebhookReply } from '../twilio/webhooks.js';
import type { WarmTransfers } from './warm-transfers.js';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** What the desk hears when the engine no longer knows the transfer (it restarted meanwhile). */
const PLAIN_WHISPER = 'A call put through by the virtual receptionist.';

/**
 * The front desk's side of a warm transfer. Twilio runs these on the desk's own call leg,
 * after it answers and before the caller is connected; `?call=` names the caller's call.
 */
export class TransferWebhooks {
  constructor(
    private readonly store: Store,
    private readonly transfers: WarmTransfers,
    private readonly urls: () => FallbackUrls,
    private readonly log: Logger,
  ) {}

  routes(): Record<string, (params: Record<string, string>, query: URLSearchParams) => WebhookReply> {
    return {
      '/twilio/transfer/whisper': (p, q) => this.whisper(p, q),
      '/twilio/transfer/answer': (p, q) => this.answer(p, q),
    };
  }

  /** The whisper: who is calling and why, then how to take the call. */
  whisper(_params: Record<string, string>, query: URLSearchParams): WebhookReply {
    const callSid = query.get('call') ?? '';
    if (!CALL_SID.test(callSid)) return { status: 400, contentType: 'text/plain', body: 'call is missing or malformed' };
    const pending = this.transfers.get(callSid);
    const pressKey = loadKnowledge(this.store).transfers.connect === 'press-key';
    return twimlReply(whisperTwiml(pending?.whisper ?? PLAIN_WHISPER, pressKey, forCall(this.urls().whisperAnswerUrl, callSid)));
  }

  /**
   * The desk's answer: a key from the whisper's <Gather>, or no key at all from the
   * stay-on-line whisper's <Redirect>. Another key hears the whisper again.
   */
  answer(params: Record<string, string>, query: URLSearchParams): WebhookReply {
    const callSid = query.get('call') ?? '';
    if (!CALL_SID.test(callSid)) return { status: 400, contentType: 'text/plain', body: 'call is missing or malformed' };
    const digits = params.Digits ?? '';
    if (digits !== '' && digits !== ACCEPT_KEY && digits !== DECLINE_KEY) return this.whisper(params, query);
    const accepted = digits !== DECLINE_KEY;
    this.transfers.answer(callSid, accepted);
    const call = this.store.calls.getBySid(callSid);
    this.log.info(`Call ${call?.id ?? '?'}: the front desk ${accepted ? 'took' : 'sent back'} the transfer`);
    return twimlReply(whisperAnsweredTwiml(accepted));
  }
}
