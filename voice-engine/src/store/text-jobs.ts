import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

export type TextJobKind = 'booked' | 'moved' | 'cancelled' | 'reminder' | 'missed_call';
export type TextJobState = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';

export interface TextJob {
  id: number;
  kind: TextJobKind;
  appointmentId: number | null;
  callId: number | null;
  phone: string;
  dueAt: number;
  state: TextJobState;
  detail: string | null;
}

interface Row {
  id: number;
  kind: TextJobKind;
  appointment_id: number | null;
  call_id: number | null;
  phone: string;
  due_at: number;
  state: TextJobState;
  detail: string | null;
}

const toJob = (r: Row): TextJob => ({ id: r.id, kind: r.kind, appointmentId: r.appointment_id, callId: r.call_id, phone: r.phone, dueAt: r.due_at, state: r.state, detail: r.detail });

function prepareTextJobStatements(db: Db) {
  return {
    insert: db.prepare<[TextJobKind, number | null, number | null, string, number, number, number]>(
      `INSERT INTO text_jobs (kind, appointment_id, call_id, phone, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    due: db.prepare<[number, number], Row>("SELECT * FROM text_jobs WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?"),
    claim: db.prepare<[number, number]>("UPDATE text_jobs SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'pending'"),
    finish: db.prepare<[TextJobState, string | null, number, number]>('UPDATE text_jobs SET state = ?, detail = ?, updated_at = ? WHERE id = ?'),
    postpone: db.prepare<[number, string, number, number]>("UPDATE text_jobs SET due_at = ?, detail = ?, updated_at = ? WHERE id = ? AND state = 'pending'"),
    dropPending: db.prepare<[string, number, number]>("UPDATE text_jobs SET state = 'skipped', detail = ?, updated_at = ? WHERE appointment_id = ? AND kind = 'reminder' AND state = 'pending'"),
    interrupted: db.prepare<[number]>("UPDATE text_jobs SET state = 'failed', detail = 'interrupted while sending (it may have gone out): not sent again, so it can never go out twice', updated_at = ? WHERE state = 'sending'"),
    all: db.prepare<[], Row>('SELECT * FROM text_jobs ORDER BY id'),
    sentReminderFor: db.prepare<[string, number], { appointment_id: number }>(
      `SELECT j.appointment_id FROM text_jobs j JOIN appointments a ON a.id = j.appointment_id
       WHERE j.kind = 'reminder' AND j.state = 'sent' AND j.phone = ? AND a.status = 'booked' AND a.start_at > ? ORDER BY a.start_at LIMIT 1`,
    ),
  };
}

/** The durable queue of texts Deskline sends on its own (migration 11). */
export class TextJobStore {
  private readonly q: () => ReturnType<typeof prepareTextJobStatements>;

  constructor(db: Db) {
    this.q = lazyStatements(db, prepareTextJobStatements);
  }

  add(job: { kind: TextJobKind; appointmentId?: number | null; callId?: number | null; phone: string; dueAt: number }, now: number): boolean {
    return this.q().insert.run(job.kind, job.appointmentId ?? null, job.callId ?? null, job.phone, job.dueAt, now, now).changes === 1;
  }

  due(now: number, limit: number): TextJob[] {
    return this.q().due.all(now, limit).map(toJob);
  }

  /** Marks the job as going out; false when someone else has it. */
  claim(id: number, now: number): boolean {
    return this.q().claim.run(now, id).changes === 1;
  }

  finish(id: number, state: Exclude<TextJobState, 'pending' | 'sending'>, detail: string | null, now: number): void {
    this.q().finish.run(state, detail, now, id);
  }

  postpone(id: number, dueAt: number, why: string, now: number): void {
    this.q().postpone.run(dueAt, why, now, id);
  }

  /** The appointment moved or was cancelled: its reminders that have not gone out never will. */
  dropReminders(appointmentId: number, why: string, now: number): void {
    this.q().dropPending.run(why, now, appointmentId);
  }

  /** After a crash, a job caught mid-send is not retried: at most once beats maybe twice. */
  failInterrupted(now: number): number {
    return this.q().interrupted.run(now).changes;
  }


  list(): TextJob[] {
    return this.q().all.all().map(toJob);
  }


  /** The upcoming appointment this number was last reminded of, for a "C" or "R" reply. */
  remindedAppointment(phone: string, now: number): number | null {
    return this.q().sentReminderFor.get(phone, now)?.appointment_id ?? null;
  }
}
