import { API_VERSION, twilioError, type SentMessage, type TwilioErrorBody } from './rest-resources.js';
import { randomSid } from './signing.js';
import type { WebhookResult } from './webhook-client.js';

/**
 * Twilio Messaging as a long code with Twilio's default opt-out handling: a patient's text
 * becomes a signed webhook; STOP (and its synonyms) opts the sender out, Twilio itself sends
 * the confirmation and from then on refuses to text them (error 21610) until START; a text
 * the engine sends reports `sent` then `delivered` to its StatusCallback.
 */

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

export interface InboundText {
  from: string;
  to: string;
  body: string;
  messageSid?: string;
}

export interface InboundRecord {
  params: Record<string, string>;
  response: WebhookResult;
}

export interface MessagingContext {
  accountSid: string;
  /** A signed POST to a path on the engine's public URL. */
  postWebhook(path: string, params: Record<string, string>): Promise<WebhookResult>;
  /** A signed POST to an absolute public URL (a StatusCallback). */
  postPublicUrl(url: string, params: Record<string, string>): Promise<WebhookResult>;
}

export class SimMessaging {
  readonly inbound: InboundRecord[] = [];
  /** Confirmations Twilio itself sent for STOP and START. */
  readonly autoReplies: Array<{ to: string; body: string }> = [];
  /** Status callbacks the engine was sent, and what it answered. */
  readonly statusCallbacks: Array<{ params: Record<string, string>; status: number }> = [];
  private readonly optedOut = new Set<string>();
  private pendingCallbacks = new Set<Promise<void>>();

  constructor(private readonly ctx: MessagingContext) {}

  /** A patient texts the clinic's number; resolves with the engine's answer to the webhook. */
  async receive(text: InboundText): Promise<InboundRecord> {
    const sid = text.messageSid ?? randomSid('SM');
    const word = text.body.trim().toUpperCase();
    if (OPT_OUT.has(word)) {
      this.optedOut.add(text.from);
      this.autoReplies.push({ to: text.from, body: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.' });
    } else if (OPT_IN.has(word) && this.optedOut.delete(text.from)) {
      this.autoReplies.push({ to: text.from, body: 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe.' });
    }
    const params = {
      ToCountry: 'US',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: text.body,
      To: text.to,
      NumSegments: String(Math.max(1, Math.ceil(text.body.length / 160))),
      MessageSid: sid,
      AccountSid: this.ctx.accountSid,
      From: text.from,
      ApiVersion: API_VERSION,
    };
    return this.deliver(params);
  }

  /** Twilio retries a webhook it thinks failed: the very same request again. */
  async replay(record: InboundRecord): Promise<InboundRecord> {
    return this.deliver(record.params);
  }

  /** Refuses a Messages create Twilio would refuse; undefined when it may go out. */
  refuse(to: string): TwilioErrorBody | undefined {
    return this.optedOut.has(to) ? twilioError(400, 21610, 'Attempt to send to unsubscribed recipient') : undefined;
  }

  /** A text the engine created: its delivery reports follow, as Twilio's do. */
  created(message: SentMessage, statusCallback: string | undefined): void {
    if (!statusCallback) return;
    const report = async () => {
      for (const status of ['sent', 'delivered']) {
        await new Promise((r) => setTimeout(r, 10));
        const params = { SmsSid: message.sid, SmsStatus: status, MessageStatus: status, To: message.to, MessageSid: message.sid, AccountSid: this.ctx.accountSid, From: message.from, ApiVersion: API_VERSION };
        const res = await this.ctx.postPublicUrl(statusCallback, params);
        this.statusCallbacks.push({ params, status: res.status });
      }
    };
    const done: Promise<void> = report()
      .catch((err: unknown) => this.statusCallbacks.push({ params: { error: String(err) }, status: 0 }))
      .then(() => {
        this.pendingCallbacks.delete(done);
      });
    this.pendingCallbacks.add(done);
  }

  /** Resolves once every delivery report so far has been posted. */
  async settled(): Promise<void> {
    await Promise.all([...this.pendingCallbacks]);
  }

  private async deliver(params: Record<string, string>): Promise<InboundRecord> {
    const response = await this.ctx.postWebhook('/twilio/sms', params);
    const record = { params, response };
    this.inbound.push(record);
    return record;
  }
}
