import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

export interface RecordingRow {
  callId: number;
  file: string;
  durationMs: number;
  bytes: number;
  startedAt: number;
  finishedAt: number | null;
}

interface Row {
  call_id: number;
  file: string;
  duration_ms: number;
  bytes: number;
  started_at: number;
  finished_at: number | null;
}

const toRow = (r: Row): RecordingRow => ({ callId: r.call_id, file: r.file, durationMs: r.duration_ms, bytes: r.bytes, startedAt: r.started_at, finishedAt: r.finished_at });

function prepareRecordingStatements(db: Db) {
  return {
    start: db.prepare<[number, string, number]>('INSERT INTO call_recordings (call_id, file, started_at) VALUES (?, ?, ?) ON CONFLICT (call_id) DO NOTHING'),
    progress: db.prepare<[number, number, number | null, number]>('UPDATE call_recordings SET duration_ms = ?, bytes = ?, finished_at = ? WHERE call_id = ?'),
    get: db.prepare<[number], Row>('SELECT * FROM call_recordings WHERE call_id = ?'),
    remove: db.prepare<[number]>('DELETE FROM call_recordings WHERE call_id = ?'),
    moved: db.prepare<[string, number]>('UPDATE call_recordings SET file = ? WHERE call_id = ?'),
    olderThan: db.prepare<[number, number], Row>('SELECT * FROM call_recordings WHERE started_at < ? ORDER BY started_at LIMIT ?'),
    all: db.prepare<[], Row>('SELECT * FROM call_recordings ORDER BY call_id'),
  };
}

/** Where each call's recording is and how long it is (migration 15). The audio itself is a file. */
export class RecordingStore {
  private readonly q: () => ReturnType<typeof prepareRecordingStatements>;

  constructor(db: Db) {
    this.q = lazyStatements(db, prepareRecordingStatements);
  }

  /** Recording began (a call back from a transfer continues the same file and row). */
  started(callId: number, file: string, at: number): void {
    this.q().start.run(callId, file, at);
  }

  /** What is on disk so far; `finishedAt` once the call's part is over. */
  progress(callId: number, durationMs: number, bytes: number, finishedAt: number | null): void {
    this.q().progress.run(durationMs, bytes, finishedAt, callId);
  }

  get(callId: number): RecordingRow | null {
    const row = this.q().get.get(callId);
    return row ? toRow(row) : null;
  }

  /** The file was put back somewhere else (a restore onto another PC or data folder). */
  moved(callId: number, file: string): void {
    this.q().moved.run(file, callId);
  }

  remove(callId: number): void {
    this.q().remove.run(callId);
  }

  /** Recordings of calls that started before `cutoff`, oldest first (retention). */
  olderThan(cutoff: number, limit: number): RecordingRow[] {
    return this.q().olderThan.all(cutoff, limit).map(toRow);
  }

  all(): RecordingRow[] {
    return this.q().all.all().map(toRow);
  }
}
