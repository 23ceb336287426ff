import type { EngineEvents } from '../events.js';
import type { StorageHealth } from '../health/storage-health.js';
import type { Logger } from '../log.js';
import type { SmsAuthor, SmsMessage } from '../store/sms.js';
import type { Store } from '../store/index.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';
import type { TwilioRestClient } from '../twilio/rest.js';
import { commitTranscriptLine } from '../call/transcript-commit.js';
import { TextingUnavailableError } from './text-sender.js';

export class OptedOutError extends Error {
  constructor() {
    super('This number replied STOP: nothing is texted to it until it replies START');
  }
}

export interface OutboxDeps {
  store: Store;
  writer: StorageWriter;
  events: EngineEvents;
  rest: () => TwilioRestClient | null;
  /** Where Twilio reports delivery (`/twilio/sms-status` on the public URL); null sends without. */
  statusCallbackUrl: () => string | null;
  log: Logger;
  storageHealth?: StorageHealth;
}

/**
 * Every text to a patient leaves through here: never to a number that opted out, from the
 * clinic's number, with a delivery callback, and kept in the patient's thread (and its
 * transcript) as soon as Twilio has taken it.
 */
export class SmsOutbox {
  constructor(private readonly deps: OutboxDeps) {}

  /** Texts `body` into the thread with `phone` (opened if need be); rejects with the reason it could not. */
  async send(m: { phone: string; from: string; body: string; author: SmsAuthor }): Promise<SmsMessage> {
    const { store, rest, statusCallbackUrl } = this.deps;
    if (store.sms.isOptedOut(m.phone)) throw new OptedOutError();
    const client = rest();
    if (!client) throw new TextingUnavailableError();
    const statusCallback = statusCallbackUrl();
    const sent = await client.messages.create({ to: m.phone, from: m.from, body: m.body, ...(statusCallback ? { statusCallback } : {}) });
    const now = Date.now();
    const { thread } = store.sms.openThread(m.phone, m.from, sent.sid, now);
    const message = store.sms.addMessage({ callId: thread.callId, direction: 'outbound', author: m.author, body: m.body, messageSid: sent.sid, status: sent.status ?? 'queued', at: now });
    commitTranscriptLine(this.deps, { callId: thread.callId, speaker: 'receptionist', text: m.body, interrupted: false }, (err) =>
      this.deps.log.warn(`Text thread ${thread.callId}: transcript line not written: ${err.message}`),
    );
    return message ?? store.sms.messages(thread.callId).find((x) => x.messageSid === sent.sid)!;
  }
}
