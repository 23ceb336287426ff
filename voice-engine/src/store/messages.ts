import type { Db } from './db.js';

export type Urgency = 'low' | 'normal' | 'urgent';

export interface CallerMessage {
  id: number;
  callId: number | null;
  callerName: string | null;
  callbackNumber: string;
  reason: string;
  urgency: Urgency;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

interface MessageRow {
  id: number;
  call_id: number | null;
  caller_name: string | null;
  callback_number: string;
  reason: string;
  urgency: Urgency;
  created_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
}

const toMessage = (r: MessageRow): CallerMessage => ({
  id: r.id,
  callId: r.call_id,
  callerName: r.caller_name,
  callbackNumber: r.callback_number,
  reason: r.reason,
  urgency: r.urgency,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
});

/** Messages the receptionist took for staff: they stay open until someone resolves them. */
export class MessageStore {
  private readonly insert;
  private readonly forCall;
  private readonly open;
  private readonly recent;
  private readonly resolveStmt;

  constructor(db: Db) {
    this.insert = db.prepare<[number | null, string | null, string, string, Urgency, number]>(
      'INSERT INTO messages (call_id, caller_name, callback_number, reason, urgency, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.forCall = db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE call_id = ? ORDER BY id');
    this.open = db.prepare<[], MessageRow>('SELECT * FROM messages WHERE resolved_at IS NULL ORDER BY created_at DESC');
    this.recent = db.prepare<[], MessageRow>('SELECT * FROM messages ORDER BY created_at DESC LIMIT 500');
    this.resolveStmt = db.prepare<[number, string, number]>('UPDATE messages SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL');
  }

  add(message: Omit<CallerMessage, 'id' | 'createdAt' | 'resolvedAt' | 'resolvedBy'>): CallerMessage {
    const now = Date.now();
    const info = this.insert.run(message.callId, message.callerName, message.callbackNumber, message.reason, message.urgency, now);
    return { ...message, id: Number(info.lastInsertRowid), createdAt: now, resolvedAt: null, resolvedBy: null };
  }

  listForCall(callId: number): CallerMessage[] {
    return this.forCall.all(callId).map(toMessage);
  }

  listOpen(): CallerMessage[] {
    return this.open.all().map(toMessage);
  }

  listRecent(includeResolved: boolean): CallerMessage[] {
    return includeResolved ? this.recent.all().map(toMessage) : this.listOpen();
  }

  resolve(id: number, by: string, at: number): void {
    this.resolveStmt.run(at, by, id);
  }
}
