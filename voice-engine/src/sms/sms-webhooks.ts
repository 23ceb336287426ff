import { loadKnowledge } from '../clinic/knowledge.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { toSummary } from '../store/calls.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';
import { emptyTwiml } from '../twilio/twiml.js';
import { twimlReply, type WebhookReply } from '../twilio/webhooks.js';
import { commitTranscriptLine } from '../call/transcript-commit.js';
import { flagForFollowUp } from '../call/follow-up.js';
import { helpText, keywordOf } from './keywords.js';
import type { SmsOutbox } from './sms-outbox.js';
import type { SmsThread } from '../store/sms.js';
import type { StorageHealth } from '../health/storage-health.js';

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const E164ISH = /^\+?[0-9]{5,15}$/;
const MAX_BODY = 1600;

export interface SmsWebhookDeps {
  store: Store;
  writer: StorageWriter;
  events: EngineEvents;
  outbox: SmsOutbox;
  /** Hands a patient's new text to the assistant (which queues it per thread), with a note on what it means. */
  assist: (thread: SmsThread, note?: string) => void;
  log: Logger;
  storageHealth?: StorageHealth;
}

const bad = (message: string): WebhookReply => ({ status: 400, contentType: 'text/plain', body: message });
const noContent: WebhookReply = { status: 204, contentType: 'text/plain', body: '' };

/**
 * Twilio's Messaging webhooks, after their signature has been checked: a patient's text,
 * and delivery reports for the clinic's. A text Twilio retries is answered once.
 */
export class SmsWebhooks {
  constructor(private readonly deps: SmsWebhookDeps) {}

  routes(): Record<string, (params: Record<string, string>) => WebhookReply> {
    return {
      '/twilio/sms': (p) => this.inbound(p),
      '/twilio/sms-status': (p) => this.status(p),
    };
  }

  inbound(params: Record<string, string>): WebhookReply {
    const { store, events, log } = this.deps;
    const sid = params.MessageSid ?? '';
    const from = params.From ?? '';
    const to = params.To ?? '';
    if (!MESSAGE_SID.test(sid)) return bad('MessageSid is missing or malformed');
    if (!E164ISH.test(from) || !E164ISH.test(to)) return bad('From or To is missing or malformed');
    const body = (params.Body ?? '').slice(0, MAX_BODY);
    const now = Date.now();
    const { thread, created } = store.sms.openThread(from, to, sid, now);
    const message = store.sms.addMessage({ callId: thread.callId, direction: 'inbound', author: 'patient', body, messageSid: sid, status: 'received', at: now });
    if (!message) return twimlReply(emptyTwiml());
    commitTranscriptLine(this.deps, { callId: thread.callId, speaker: 'caller', text: body, interrupted: false }, (err) => log.warn(`Text thread ${thread.callId}: transcript line not written: ${err.message}`));
    const summary = store.calls.get(thread.callId);
    if (summary) events.emit(created ? 'call.started' : 'call.updated', toSummary(summary));

    const optedOut = store.sms.isOptedOut(from);
    const keyword = keywordOf(body, optedOut);
    if (keyword === 'stop') {
      store.sms.optOut(from, body.trim().toUpperCase(), now);
      log.info(`Text thread ${thread.callId}: the number opted out (STOP); nothing more is texted to it`);
    } else if (keyword === 'start') {
      store.sms.optIn(from);
      log.info(`Text thread ${thread.callId}: the number opted back in (START)`);
    } else if (keyword === 'help') {
      const profile = loadKnowledge(store).profile;
      this.reply(thread, helpText(profile.name, profile.phone));
    } else if (optedOut) {
      // Kept for staff; nothing can be texted back until START.
    } else if (this.reminderReply(thread, body, now)) {
      // Answered: a confirmation, or the assistant picking up a reschedule.
    } else if (thread.takenOverBy) {
      flagForFollowUp(store, events, thread.callId);
    } else {
      this.deps.assist(thread);
    }
    return twimlReply(emptyTwiml());
  }

  /** Delivery status for a text the clinic sent; forward-only, unknown sids ignored. */
  status(params: Record<string, string>): WebhookReply {
    const sid = params.MessageSid ?? params.SmsSid ?? '';
    const status = params.MessageStatus ?? params.SmsStatus ?? '';
    if (!MESSAGE_SID.test(sid) || !/^[a-z-]{3,20}$/.test(status)) return bad('MessageSid or MessageStatus is missing or malformed');
    const updated = this.deps.store.sms.updateStatus(sid, status, params.ErrorCode || null, Date.now());
    if (updated && (status === 'failed' || status === 'undelivered')) {
      this.deps.log.warn(`Text thread ${updated.callId}: a text was ${status}${params.ErrorCode ? ` (Twilio error ${params.ErrorCode})` : ''}`);
      flagForFollowUp(this.deps.store, this.deps.events, updated.callId);
    }
    return noContent;
  }

  /**
   * "C" or "R" to a reminder for an upcoming appointment: C confirms it (shown on the
   * appointment), R hands the thread to the assistant, told what the patient wants moved.
   */
  private reminderReply(thread: SmsThread, body: string, now: number): boolean {
    const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
    if (word !== 'C' && word !== 'R') return false;
    const { store } = this.deps;
    const appointmentId = store.textJobs.remindedAppointment(thread.phone, now);
    if (appointmentId === null) return false;
    if (word === 'C') {
      store.appointments.setConfirmed(appointmentId, now);
      this.deps.log.info(`Text thread ${thread.callId}: appointment ${appointmentId} confirmed by text`);
      this.reply(thread, 'Thank you, your appointment is confirmed. See you then!');
      return true;
    }
    if (thread.takenOverBy) return false;
    this.deps.assist(thread, `The patient replied R to the reminder for their upcoming appointment: they want to reschedule it. Help them find a new time.`);
    return true;
  }

  private reply(thread: SmsThread, body: string): void {
    this.deps.outbox
      .send({ phone: thread.phone, from: thread.clinicNumber, body, author: 'clinic' })
      .catch((err: Error) => this.deps.log.warn(`Text thread ${thread.callId}: could not reply: ${err.message}`));
  }
}
