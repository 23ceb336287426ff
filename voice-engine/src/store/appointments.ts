import type { TestCallDiary } from '../contract.js';
import type { BusyInterval } from '../scheduling/types.js';
import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

export type AppointmentStatus = 'booked' | 'cancelled';

export interface Appointment {
  id: number;
  patientId: number;
  providerId: number;
  serviceId: number;
  start: number;
  end: number;
  blockEnd: number;
  status: AppointmentStatus;
  externalEventId: string | null;
  bookedByCallId: number | null;
  /** Why the patient is coming, as they said it (PHI: staff only). */
  visitReason: string | null;
  /** The patient replied "C" to a reminder. */
  confirmedAt: number | null;
  /** Booked in a test call from the dashboard, into the real diary or the sandbox; null when real. */
  testCall: TestCallDiary | null;
}

interface AppointmentRow {
  id: number;
  patient_id: number;
  provider_id: number;
  service_id: number;
  start_at: number;
  end_at: number;
  block_end_at: number;
  status: AppointmentStatus;
  external_event_id: string | null;
  booked_by_call_id: number | null;
  visit_reason: string | null;
  confirmed_at?: number | null;
  test_call?: TestCallDiary | null;
}

const toAppointment = (r: AppointmentRow): Appointment => ({
  id: r.id,
  patientId: r.patient_id,
  providerId: r.provider_id,
  serviceId: r.service_id,
  start: r.start_at,
  end: r.end_at,
  blockEnd: r.block_end_at,
  status: r.status,
  externalEventId: r.external_event_id,
  bookedByCallId: r.booked_by_call_id,
  visitReason: r.visit_reason,
  confirmedAt: r.confirmed_at ?? null,
  testCall: r.test_call ?? null,
});

/**
 * No appointment with its buffer runs longer than this, so a window's overlapping
 * appointments can be found by an index range on start time alone.
 */
export const MAX_APPOINTMENT_SPAN_MS = 24 * 60 * 60 * 1000;

export interface NewAppointment {
  patientId: number;
  providerId: number;
  serviceId: number;
  start: number;
  end: number;
  blockEnd: number;
  bookedByCallId: number | null;
  /** Booked in a test call (see Appointment.testCall). */
  testCall?: TestCallDiary | null;
}

/**
 * Whose diary a query reads: the clinic's (every appointment but the sandbox's), or the
 * sandbox's view for a test call (the clinic's diary plus the sandbox bookings on top).
 */
export type DiaryView = 'clinic' | 'sandbox';

/** Busy time, by the diary it is read for (the test_call column is migration 17's: prepared on first use). */
function prepareBusyStatements(db: Db) {
  return {
    busy: db.prepare<[number, number, number, number, DiaryView], { start_at: number; block_end_at: number; id: number }>(
      `SELECT id, start_at, block_end_at FROM appointments
       WHERE provider_id = ? AND status = 'booked' AND start_at >= ? AND start_at < ? AND block_end_at > ?
         AND (test_call IS NOT 'sandbox' OR ? = 'sandbox')
       ORDER BY start_at`,
    ),
    busyMany: db.prepare<[string, number, number, number, DiaryView], { provider_id: number; start_at: number; block_end_at: number; id: number }>(
      `SELECT id, provider_id, start_at, block_end_at FROM appointments
       WHERE provider_id IN (SELECT value FROM json_each(?)) AND status = 'booked' AND start_at >= ? AND start_at < ? AND block_end_at > ?
         AND (test_call IS NOT 'sandbox' OR ? = 'sandbox')
       ORDER BY provider_id, start_at`,
    ),
  };
}

export class AppointmentStore {
  private readonly busyStatements: () => ReturnType<typeof prepareBusyStatements>;
  private readonly insert;
  private readonly byId;
  private readonly move;
  private readonly setStatus;
  private readonly setExternal;
  private readonly upcomingForPatient;
  private readonly inRange;

  constructor(private readonly db: Db) {
    this.busyStatements = lazyStatements(db, prepareBusyStatements);
    this.insert = db.prepare<[number, number, number, number, number, number, number | null, number, number]>(
      `INSERT INTO appointments (patient_id, provider_id, service_id, start_at, end_at, block_end_at, status, booked_by_call_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?)`,
    );
    this.byId = db.prepare<[number], AppointmentRow>('SELECT * FROM appointments WHERE id = ?');
    this.move = db.prepare<[number, number, number, number, number, number]>(
      'UPDATE appointments SET provider_id = ?, start_at = ?, end_at = ?, block_end_at = ?, updated_at = ? WHERE id = ?',
    );
    this.setStatus = db.prepare<[AppointmentStatus, number, number]>('UPDATE appointments SET status = ?, updated_at = ? WHERE id = ?');
    this.setExternal = db.prepare<[string | null, number]>('UPDATE appointments SET external_event_id = ? WHERE id = ?');
    this.upcomingForPatient = db.prepare<[number, number], AppointmentRow>(
      "SELECT * FROM appointments WHERE patient_id = ? AND status = 'booked' AND start_at >= ? ORDER BY start_at",
    );
    this.inRange = db.prepare<[number, number], AppointmentRow>(
      "SELECT * FROM appointments WHERE status = 'booked' AND start_at >= ? AND start_at < ? ORDER BY start_at",
    );
  }

  /** A provider's booked time overlapping [from, to), sorted, optionally ignoring one appointment (the one being moved). */
  busy(providerId: number, from: number, to: number, ignoreId?: number, diary: DiaryView = 'clinic'): BusyInterval[] {
    const rows = this.busyStatements().busy.all(providerId, from - MAX_APPOINTMENT_SPAN_MS, to, from, diary);
    const out: BusyInterval[] = [];
    for (const r of rows) if (r.id !== ignoreId) out.push({ start: r.start_at, end: r.block_end_at });
    return out;
  }

  /** Busy time for several providers in one query: a call asking "anyone free?" reads the whole team. */
  busyFor(providerIds: readonly number[], from: number, to: number, ignoreId?: number, diary: DiaryView = 'clinic'): Map<number, BusyInterval[]> {
    const out = new Map<number, BusyInterval[]>(providerIds.map((id) => [id, []]));
    for (const r of this.busyStatements().busyMany.all(JSON.stringify(providerIds), from - MAX_APPOINTMENT_SPAN_MS, to, from, diary)) {
      if (r.id !== ignoreId) out.get(r.provider_id)?.push({ start: r.start_at, end: r.block_end_at });
    }
    return out;
  }

  create(appointment: NewAppointment): Appointment {
    const now = Date.now();
    const a = appointment;
    const info = this.insert.run(a.patientId, a.providerId, a.serviceId, a.start, a.end, a.blockEnd, a.bookedByCallId, now, now);
    // Marked in its own statement (inside the booking's transaction): real bookings never touch the column.
    if (a.testCall) this.db.prepare('UPDATE appointments SET test_call = ? WHERE id = ?').run(a.testCall, info.lastInsertRowid);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Appointment | undefined {
    const row = this.byId.get(id);
    return row && toAppointment(row);
  }

  reschedule(id: number, providerId: number, start: number, end: number, blockEnd: number): Appointment {
    this.move.run(providerId, start, end, blockEnd, Date.now(), id);
    return this.get(id)!;
  }

  cancel(id: number): void {
    this.setStatus.run('cancelled', Date.now(), id);
  }

  /** The patient confirmed by replying "C" to a reminder; a moved appointment is unconfirmed again. */
  setConfirmed(id: number, at: number | null): void {
    this.db.prepare('UPDATE appointments SET confirmed_at = ? WHERE id = ?').run(at, id);
  }

  /** The reason for the visit, from the new patient's intake or a staff edit (empty clears it). */
  setVisitReason(id: number, reason: string | null): void {
    this.db.prepare('UPDATE appointments SET visit_reason = ? WHERE id = ?').run(reason || null, id);
  }

  linkExternalEvent(id: number, eventId: string | null): void {
    this.setExternal.run(eventId, id);
  }

  upcomingFor(patientId: number, now: number): Appointment[] {
    return this.upcomingForPatient.all(patientId, now).map(toAppointment);
  }

  between(from: number, to: number): Appointment[] {
    return this.inRange.all(from, to).map(toAppointment);
  }
}
