import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

export type SmsDirection = 'inbound' | 'outbound';
export type SmsAuthor = 'patient' | 'assistant' | 'staff' | 'clinic';

export interface SmsMessage {
  id: number;
  callId: number;
  direction: SmsDirection;
  author: SmsAuthor;
  body: string;
  messageSid: string | null;
  status: string;
  errorCode: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SmsThread {
  /** The thread's row in `calls` (channel 'sms'). */
  callId: number;
  phone: string;
  clinicNumber: string;
  /** A person has the thread: the assistant stays quiet until it is handed back. */
  takenOverBy: string | null;
}

interface MessageRow {
  id: number;
  call_id: number;
  direction: SmsDirection;
  author: SmsAuthor;
  body: string;
  message_sid: string | null;
  status: string;
  error_code: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Twilio's delivery statuses in the order a text moves through them. Callbacks can arrive
 * out of order (a late `sent` after `delivered`), so a status only ever moves forward.
 */
const STATUS_RANK: Record<string, number> = { accepted: 0, queued: 1, sending: 2, sent: 3, receiving: 3, received: 4, delivered: 4, undelivered: 5, failed: 5, read: 5 };

const toMessage = (r: MessageRow): SmsMessage => ({
  id: r.id,
  callId: r.call_id,
  direction: r.direction,
  author: r.author,
  body: r.body,
  messageSid: r.message_sid,
  status: r.status,
  errorCode: r.error_code,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function prepareSmsStatements(db: Db) {
  return {
    threadByPhone: db.prepare<[string], { call_id: number; phone: string; clinic_number: string; staff_took_over_by: string | null }>('SELECT * FROM sms_threads WHERE phone = ?'),
    threadByCall: db.prepare<[number], { call_id: number; phone: string; clinic_number: string; staff_took_over_by: string | null }>('SELECT * FROM sms_threads WHERE call_id = ?'),
    insertCall: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at, channel) VALUES (?, ?, ?, 'completed', ?, ?, 'sms')`,
    ),
    insertThread: db.prepare<[string, number, string]>('INSERT INTO sms_threads (phone, call_id, clinic_number) VALUES (?, ?, ?)'),
    touchCall: db.prepare<[number, number]>('UPDATE calls SET updated_at = ? WHERE id = ?'),
    insertMessage: db.prepare<[number, SmsDirection, SmsAuthor, string, string | null, string, number, number]>(
      `INSERT INTO sms_messages (call_id, direction, author, body, message_sid, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_sid) DO NOTHING`,
    ),
    messageBySid: db.prepare<[string], MessageRow>('SELECT * FROM sms_messages WHERE message_sid = ?'),
    setStatus: db.prepare<[string, string | null, number, number]>('UPDATE sms_messages SET status = ?, error_code = COALESCE(?, error_code), updated_at = ? WHERE id = ?'),
    list: db.prepare<[number], MessageRow>('SELECT * FROM sms_messages WHERE call_id = ? ORDER BY id'),
    messageById: db.prepare<[number], MessageRow>('SELECT * FROM sms_messages WHERE id = ?'),
    lastCalled: db.prepare<[], { to_number: string }>("SELECT to_number FROM calls WHERE channel = 'voice' ORDER BY id DESC LIMIT 1"),
    optOutStmt: db.prepare<[string, string, number]>('INSERT INTO sms_opt_outs (phone, keyword, opted_out_at) VALUES (?, ?, ?) ON CONFLICT (phone) DO NOTHING'),
    optInStmt: db.prepare<[string]>('DELETE FROM sms_opt_outs WHERE phone = ?'),
    optedOutStmt: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM sms_opt_outs WHERE phone = ?'),
    takeOverStmt: db.prepare<[number | null, string | null, number]>('UPDATE sms_threads SET staff_took_over_at = ?, staff_took_over_by = ? WHERE call_id = ?'),
  };
}

/** Text threads, their messages and who opted out (migration 10). */
export class SmsStore {
  private readonly q: () => ReturnType<typeof prepareSmsStatements>;

  constructor(private readonly db: Db) {
    this.q = lazyStatements(db, prepareSmsStatements);
  }

  thread(phone: string): SmsThread | undefined {
    const row = this.q().threadByPhone.get(phone);
    return row && { callId: row.call_id, phone: row.phone, clinicNumber: row.clinic_number, takenOverBy: row.staff_took_over_by };
  }

  threadOf(callId: number): SmsThread | undefined {
    const row = this.q().threadByCall.get(callId);
    return row && { callId: row.call_id, phone: row.phone, clinicNumber: row.clinic_number, takenOverBy: row.staff_took_over_by };
  }

  /** The phone's thread, started (with its row in the call log) if this is its first text. `threadSid` names the row. */
  openThread(phone: string, clinicNumber: string, threadSid: string, at: number): { thread: SmsThread; created: boolean } {
    // IMMEDIATE: a read that turns into a write while the storage thread commits would fail at
    // once (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out); taking the write lock first waits instead.
    return this.db.transaction(() => {
      const existing = this.thread(phone);
      if (existing) return { thread: existing, created: false };
      const callId = Number(this.q().insertCall.run(threadSid, phone, clinicNumber, at, at).lastInsertRowid);
      this.q().insertThread.run(phone, callId, clinicNumber);
      return { thread: this.thread(phone)!, created: true };
    }).immediate();
  }

  /** Records a text; false when its MessageSid is already recorded (Twilio retried the webhook). */
  addMessage(m: { callId: number; direction: SmsDirection; author: SmsAuthor; body: string; messageSid: string | null; status: string; at: number }): SmsMessage | null {
    const info = this.q().insertMessage.run(m.callId, m.direction, m.author, m.body, m.messageSid, m.status, m.at, m.at);
    if (info.changes === 0) return null;
    this.q().touchCall.run(m.at, m.callId);
    return toMessage(this.q().messageById.get(Number(info.lastInsertRowid))!);
  }

  /** A delivery status callback; a status never moves backwards. Returns the message as it now is. */
  updateStatus(messageSid: string, status: string, errorCode: string | null, at: number): SmsMessage | undefined {
    const row = this.q().messageBySid.get(messageSid);
    if (!row) return undefined;
    if ((STATUS_RANK[status] ?? 0) < (STATUS_RANK[row.status] ?? 0)) return toMessage(row);
    this.q().setStatus.run(status, errorCode, at, row.id);
    return toMessage(this.q().messageBySid.get(messageSid)!);
  }

  /** The clinic number patients last called: where texts come from when nothing else says. */
  lastCalledNumber(): string | null {
    return this.q().lastCalled.get()?.to_number ?? null;
  }

  messages(callId: number): SmsMessage[] {
    return this.q().list.all(callId).map(toMessage);
  }

  optOut(phone: string, keyword: string, at: number): void {
    this.q().optOutStmt.run(phone, keyword, at);
  }

  optIn(phone: string): void {
    this.q().optInStmt.run(phone);
  }

  isOptedOut(phone: string): boolean {
    return this.q().optedOutStmt.get(phone)!.n > 0;
  }

  /** `by` null hands the thread back to the assistant. */
  takeOver(callId: number, by: string | null, at: number): void {
    this.q().takeOverStmt.run(by ? at : null, by, callId);
  }
}
