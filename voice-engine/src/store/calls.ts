import type { CallChannel, CallListQuery, CallOutcome, CallStatus, CallSummary, FallbackKind, TestCallDiary } from '../contract.js';
import { maskPhone } from '../phi.js';
import type { Db } from './db.js';

export interface CallRow {
  id: number;
  call_sid: string;
  from_number: string;
  to_number: string;
  status: CallStatus;
  started_at: number;
  answered_at: number | null;
  ended_at: number | null;
  duration_s: number | null;
  needs_action: number;
  fallback: FallbackKind | null;
  outcome: CallOutcome | null;
  archived: number;
  action_resolved_at: number | null;
  action_resolved_by: string | null;
  urgent: string | null;
  urgent_note: string | null;
  stir_verstat: string | null;
  channel: CallChannel;
  test_call?: TestCallDiary | null;
}

export interface NewCall {
  callSid: string;
  from: string;
  to: string;
  status: CallStatus;
  startedAt: number;
  stirVerstat?: string | null;
  /** A test call from the dashboard (never set for Twilio's calls). */
  testCall?: TestCallDiary | null;
}

export interface StoredCall extends CallSummary {
  /** Unmasked, for the engine's own use (transfers, callbacks); never sent to a UI or log. */
  fromNumber: string;
  toNumber: string;
  actionResolvedAt: number | null;
  actionResolvedBy: string | null;
  /** What the caller described, in their words: PHI, for staff only (the Inbox), never logged. */
  urgentNote: string | null;
  /** Twilio's STIR/SHAKEN verdict on the caller's number, when the carrier gave one. */
  stirVerstat: string | null;
}

const FINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export function isFinalStatus(status: CallStatus): boolean {
  return FINAL_STATUSES.has(status);
}

export function toStoredCall(row: CallRow): StoredCall {
  return {
    id: row.id,
    callSid: row.call_sid,
    fromMasked: maskPhone(row.from_number),
    fromNumber: row.from_number,
    toNumber: row.to_number,
    status: row.status,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    durationS: row.duration_s,
    needsAction: row.needs_action === 1,
    fallback: row.fallback,
    outcome: row.outcome,
    archived: row.archived === 1,
    actionResolvedAt: row.action_resolved_at,
    actionResolvedBy: row.action_resolved_by,
    urgent: row.urgent,
    urgentNote: row.urgent_note,
    stirVerstat: row.stir_verstat,
    channel: row.channel ?? 'voice',
    testCall: row.test_call ?? null,
  };
}

/** Strips the unmasked numbers before a call leaves the engine. */
export function toSummary(call: StoredCall): CallSummary {
  const { fromNumber: _from, toNumber: _to, actionResolvedAt: _at, actionResolvedBy: _by, urgentNote: _note, stirVerstat: _stir, ...summary } = call;
  return summary;
}

export class CallStore {
  private readonly insert;
  private readonly bySid;
  private readonly byId;
  private readonly page;
  private readonly setStatus;
  private readonly setAnswered;
  private readonly setEnded;
  private readonly setFallback;
  private readonly setNeedsAction;
  private readonly setOutcomeStmt;
  private readonly setArchived;
  private readonly resolveAction;
  private readonly countSince;
  private readonly flaggedStmt;
  private readonly unfinishedStmt;
  private readonly setUrgent;

  constructor(private readonly db: Db) {
    this.insert = db.prepare<[string, string, string, string, number, number, string | null]>(
      `INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at, stir_verstat)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_sid) DO NOTHING`,
    );
    this.bySid = db.prepare<[string], CallRow>('SELECT * FROM calls WHERE call_sid = ?');
    this.byId = db.prepare<[number], CallRow>('SELECT * FROM calls WHERE id = ?');
    this.page = db.prepare<[number, number], CallRow>('SELECT * FROM calls WHERE id < ? ORDER BY id DESC LIMIT ?');
    // A late or replayed callback must not move a finished call back to an earlier state.
    this.setStatus = db.prepare<[string, number, string]>(
      `UPDATE calls SET status = ?, updated_at = ?
       WHERE call_sid = ? AND status NOT IN ('completed', 'busy', 'no-answer', 'failed', 'canceled')`,
    );
    this.setAnswered = db.prepare<[number, number, string]>(
      'UPDATE calls SET answered_at = COALESCE(answered_at, ?), updated_at = ? WHERE call_sid = ?',
    );
    this.setEnded = db.prepare<[number, number | null, number, string]>(
      `UPDATE calls SET ended_at = COALESCE(ended_at, ?), duration_s = COALESCE(?, duration_s), updated_at = ?
       WHERE call_sid = ?`,
    );
    this.setFallback = db.prepare<[FallbackKind, number, number]>(
      'UPDATE calls SET fallback = ?, needs_action = 1, updated_at = ? WHERE id = ?',
    );
    this.setNeedsAction = db.prepare<[number, number, number]>('UPDATE calls SET needs_action = ?, updated_at = ? WHERE id = ?');
    this.setArchived = db.prepare<[number, number, number]>('UPDATE calls SET archived = ?, updated_at = ? WHERE id = ?');
    this.resolveAction = db.prepare<[number, string, number, number]>(
      'UPDATE calls SET needs_action = 0, action_resolved_at = ?, action_resolved_by = ?, updated_at = ? WHERE id = ?',
    );
    this.unfinishedStmt = db.prepare<[number], CallRow>(
      "SELECT * FROM calls WHERE status IN ('ringing', 'in-progress') AND started_at >= ? ORDER BY id",
    );
    this.flaggedStmt = db.prepare<[number], CallRow>(
      `SELECT * FROM calls WHERE needs_action = 1 OR (? = 1 AND action_resolved_at IS NOT NULL) ORDER BY id DESC LIMIT 500`,
    );
    this.countSince = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM calls WHERE started_at >= ?');
    // The first situation stays the call's label; a later one only adds to the note.
    this.setUrgent = db.prepare<[{ situation: string; note: string | null; at: number; id: number }]>(
      `UPDATE calls SET urgent = COALESCE(urgent, @situation),
         urgent_note = CASE WHEN @note IS NULL THEN urgent_note ELSE substr(COALESCE(urgent_note || ' / ', '') || @note, 1, 1000) END,
         urgent_at = COALESCE(urgent_at, @at), needs_action = 1, updated_at = @at WHERE id = @id`,
    );
    this.setOutcomeStmt = db.prepare<[CallOutcome, number, number]>('UPDATE calls SET outcome = ?, updated_at = ? WHERE id = ?');
  }

  /**
   * Puts a call on the line back into a database just restored from a backup taken before
   * it began, under its own id, so its lines keep landing on its own record (and a new
   * call can never be given that id and receive them).
   */
  reinstate(call: StoredCall, at: number): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO calls (id, call_sid, from_number, to_number, status, started_at, answered_at, updated_at, stir_verstat, urgent, urgent_note, urgent_at, needs_action)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(call.id, call.callSid, call.fromNumber, call.toNumber, call.status, call.startedAt, call.answeredAt, at, call.stirVerstat, call.urgent, call.urgentNote, call.urgent ? at : null, call.needsAction ? 1 : 0);
  }

  /** Idempotent on CallSid: Twilio retries webhooks, and a retry must not make a second call. */
  createIfAbsent(call: NewCall): { call: StoredCall; created: boolean } {
    const info = this.insert.run(call.callSid, call.from, call.to, call.status, call.startedAt, call.startedAt, call.stirVerstat ?? null);
    // Marked in its own statement: Twilio's calls (nearly all) never touch the column.
    if (call.testCall && info.changes === 1) this.db.prepare('UPDATE calls SET test_call = ? WHERE call_sid = ?').run(call.testCall, call.callSid);
    return { call: this.requireBySid(call.callSid), created: info.changes === 1 };
  }

  /** Someone has made a test call from the dashboard (the setup checklist). */
  hasTestCall(): boolean {
    return this.db.prepare('SELECT 1 FROM calls WHERE test_call IS NOT NULL LIMIT 1').get() !== undefined;
  }

  getBySid(callSid: string): StoredCall | undefined {
    const row = this.bySid.get(callSid);
    return row && toStoredCall(row);
  }

  get(id: number): StoredCall | undefined {
    const row = this.byId.get(id);
    return row && toStoredCall(row);
  }

  list(query: CallListQuery): StoredCall[] {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    return this.page.all(query.beforeId ?? Number.MAX_SAFE_INTEGER, limit).map(toStoredCall);
  }

  updateStatus(callSid: string, status: CallStatus, at: number, durationS?: number): StoredCall | undefined {
    this.setStatus.run(status, at, callSid);
    if (status === 'in-progress') this.setAnswered.run(at, at, callSid);
    if (isFinalStatus(status)) this.setEnded.run(at, durationS ?? null, at, callSid);
    return this.getBySid(callSid);
  }

  markFallback(id: number, kind: FallbackKind, at: number): void {
    this.setFallback.run(kind, at, id);
  }

  setOutcome(id: number, outcome: CallOutcome, at: number): void {
    this.setOutcomeStmt.run(outcome, at, id);
  }

  archive(id: number, archived: boolean, at: number): void {
    this.setArchived.run(archived ? 1 : 0, at, id);
  }

  /** Staff dealt with a flagged call: it leaves the inbox, and the record says who. */
  resolve(id: number, by: string, at: number): void {
    this.resolveAction.run(at, by, at, id);
  }

  /** Calls the record still shows as live: after a restart, these were cut. */
  unfinishedSince(since: number): StoredCall[] {
    return this.unfinishedStmt.all(since).map(toStoredCall);
  }

  /** Calls staff still need to act on, newest first; with resolved ones when asked. */
  needingAction(includeResolved: boolean): StoredCall[] {
    return this.flaggedStmt.all(includeResolved ? 1 : 0).map(toStoredCall);
  }

  startedSince(from: number): number {
    return this.countSince.get(from)?.n ?? 0;
  }

  /** Marks a call urgent and in need of staff; the first situation named stays its label. */
  markUrgent(id: number, situation: string, note: string | null, at: number): void {
    this.setUrgent.run({ situation, note, at, id });
  }

  flag(id: number, needsAction: boolean, at: number): void {
    this.setNeedsAction.run(needsAction ? 1 : 0, at, id);
  }

  private requireBySid(callSid: string): StoredCall {
    const call = this.getBySid(callSid);
    if (!call) throw new Error('call row vanished after insert');
    return call;
  }
}
