import type { Severity, SystemErrorRecord } from '../contract.js';
import type { Db } from './db.js';

interface SystemErrorRow {
  id: number;
  type: string;
  severity: Severity;
  call_id: number | null;
  message: string;
  stack: string | null;
  occurred_at: number;
}

function toRecord(row: SystemErrorRow): SystemErrorRecord {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    callId: row.call_id,
    message: row.message,
    stack: row.stack,
    occurredAt: row.occurred_at,
  };
}

export interface NewSystemError {
  type: string;
  severity: Severity;
  callId?: number | null;
  message: string;
  stack?: string | null;
  occurredAt: number;
}

export class SystemErrorStore {
  private readonly insert;
  private readonly forCall;
  private readonly filtered;

  constructor(db: Db) {
    this.insert = db.prepare<[string, Severity, number | null, string, string | null, number]>(
      'INSERT INTO system_errors (type, severity, call_id, message, stack, occurred_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.forCall = db.prepare<[number], SystemErrorRow>('SELECT * FROM system_errors WHERE call_id = ? ORDER BY id');
    this.filtered = db.prepare<[{ type: string | null; severity: string | null; limit: number }], SystemErrorRow>(
      'SELECT * FROM system_errors WHERE (@type IS NULL OR type = @type) AND (@severity IS NULL OR severity = @severity) ORDER BY id DESC LIMIT @limit',
    );
  }

  private readonly observers: Array<(error: NewSystemError) => void> = [];

  /** Called after each recorded error (metrics); an observer that throws is ignored. */
  observe(observer: (error: NewSystemError) => void): void {
    this.observers.push(observer);
  }

  record(error: NewSystemError): SystemErrorRecord {
    for (const observer of this.observers) {
      try {
        observer(error);
      } catch {
        // counting must never stop the record
      }
    }
    const info = this.insert.run(
      error.type,
      error.severity,
      error.callId ?? null,
      error.message,
      error.stack ?? null,
      error.occurredAt,
    );
    return { id: Number(info.lastInsertRowid), ...error, callId: error.callId ?? null, stack: error.stack ?? null };
  }

  listForCall(callId: number): SystemErrorRecord[] {
    return this.forCall.all(callId).map(toRecord);
  }

  listFiltered(filter: { type?: string; severity?: Severity }, limit: number): SystemErrorRecord[] {
    return this.filtered.all({ type: filter.type ?? null, severity: filter.severity ?? null, limit }).map(toRecord);
  }
}
