import type { VoicemailRecord } from '../contract.js';
import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

interface VoicemailRow {
  id: number;
  call_id: number;
  recording_sid: string;
  recording_url: string;
  duration_s: number | null;
  received_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  local_file?: string | null;
  transcript?: string | null;
  fetch_state?: VoicemailRecord['fetchState'];
  fetch_detail?: string | null;
  fetch_attempts?: number;
}

function toRecord(row: VoicemailRow): VoicemailRecord {
  return {
    id: row.id,
    callId: row.call_id,
    recordingSid: row.recording_sid,
    recordingUrl: row.recording_url,
    durationS: row.duration_s,
    receivedAt: row.received_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    onThisPc: Boolean(row.local_file),
    transcript: row.transcript ?? null,
    fetchState: row.fetch_state ?? 'pending',
    fetchDetail: row.fetch_detail ?? null,
  };
}

/** The statements for keeping voicemails on the PC (migration 14), prepared on first use. */
function prepareFetchStatements(db: Db) {
  return {
    toFetch: db.prepare<[number, number], VoicemailRow>("SELECT * FROM voicemails WHERE fetch_state = 'pending' AND fetch_attempts < ? ORDER BY id LIMIT ?"),
    attempt: db.prepare<[string, number]>('UPDATE voicemails SET fetch_attempts = fetch_attempts + 1, fetch_detail = ? WHERE id = ?'),
    saved: db.prepare<[string, number]>("UPDATE voicemails SET local_file = ?, fetch_state = 'saved', fetch_detail = NULL WHERE id = ?"),
    gaveUp: db.prepare<[string, number]>("UPDATE voicemails SET fetch_state = 'failed', fetch_detail = ? WHERE id = ?"),
    transcript: db.prepare<[string, number]>('UPDATE voicemails SET transcript = ? WHERE id = ?'),
    removed: db.prepare<[number, number]>('UPDATE voicemails SET removed_from_twilio_at = ? WHERE id = ?'),
    byId: db.prepare<[number], VoicemailRow>('SELECT * FROM voicemails WHERE id = ?'),
    file: db.prepare<[number], { local_file: string | null }>('SELECT local_file FROM voicemails WHERE id = ?'),
    attempts: db.prepare<[number], { fetch_attempts: number }>('SELECT fetch_attempts FROM voicemails WHERE id = ?'),
  };
}

export class VoicemailStore {
  private readonly insert;
  private readonly forCall;
  private readonly recent;
  private readonly resolveStmt;
  private readonly fetchQ: () => ReturnType<typeof prepareFetchStatements>;

  constructor(db: Db) {
    this.fetchQ = lazyStatements(db, prepareFetchStatements);
    // Twilio retries the recording callback; the recording sid keeps it to one voicemail.
    this.insert = db.prepare<[number, string, string, number | null, number]>(
      `INSERT INTO voicemails (call_id, recording_sid, recording_url, duration_s, received_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (recording_sid) DO NOTHING`,
    );
    this.forCall = db.prepare<[number], VoicemailRow>('SELECT * FROM voicemails WHERE call_id = ? ORDER BY id');
    this.recent = db.prepare<[number], VoicemailRow>('SELECT * FROM voicemails WHERE (? = 1 OR resolved_at IS NULL) ORDER BY received_at DESC LIMIT 500');
    this.resolveStmt = db.prepare<[number, string, number]>('UPDATE voicemails SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL');
  }

  add(callId: number, recordingSid: string, recordingUrl: string, durationS: number | null, at: number): boolean {
    return this.insert.run(callId, recordingSid, recordingUrl, durationS, at).changes === 1;
  }

  listRecent(includeResolved: boolean): VoicemailRecord[] {
    return this.recent.all(includeResolved ? 1 : 0).map(toRecord);
  }

  resolve(id: number, by: string, at: number): void {
    this.resolveStmt.run(at, by, id);
  }

  listForCall(callId: number): VoicemailRecord[] {
    return this.forCall.all(callId).map(toRecord);
  }

  get(id: number): VoicemailRecord | undefined {
    const row = this.fetchQ().byId.get(id);
    return row && toRecord(row);
  }

  /** Voicemails still to bring onto the PC, with fewer than `maxAttempts` tries so far. */
  toFetch(maxAttempts: number, limit: number): VoicemailRecord[] {
    return this.fetchQ().toFetch.all(maxAttempts, limit).map(toRecord);
  }

  /** A try that did not work, and why; returns how many tries there have been. */
  attempted(id: number, problem: string): number {
    this.fetchQ().attempt.run(problem, id);
    return this.fetchQ().attempts.get(id)?.fetch_attempts ?? 0;
  }

  saved(id: number, file: string): void {
    this.fetchQ().saved.run(file, id);
  }

  gaveUp(id: number, why: string): void {
    this.fetchQ().gaveUp.run(why, id);
  }

  setTranscript(id: number, text: string): void {
    this.fetchQ().transcript.run(text, id);
  }

  removedFromTwilio(id: number, at: number): void {
    this.fetchQ().removed.run(at, id);
  }

  /** The recording's file on the PC, for playback; null until it is there. */
  localFile(id: number): string | null {
    return this.fetchQ().file.get(id)?.local_file ?? null;
  }
}
