import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { StorageMessage, StorageReply, StorageRequest, StorageThreadData } from './protocol.js';
import { SearchDocuments } from '../search-documents.js';
import { decryptFile, encryptFile } from '../backup-crypto.js';
import { inspectDatabase } from '../database-check.js';

/**
 * The storage thread: its own connection to the clinic's database, so that every
 * fsync (synchronous=FULL) and every long job happens here and never on the event loop
 * that carries callers' audio. Requests that arrive together are committed in one
 * transaction: one fsync for many lines under load, each still durable before its reply.
 */
const data = workerData as StorageThreadData;
const db = new Database(data.dbPath, data.nativeBinding ? { nativeBinding: data.nativeBinding, fileMustExist: true } : { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const insertLine = db.prepare<[number, string, string, number, number]>(
  'INSERT INTO transcript_lines (call_id, speaker, text, interrupted, spoken_at) VALUES (?, ?, ?, ?, ?)',
);
const documents = new SearchDocuments(db);
const oldCalls = db.prepare<[number, number], { id: number }>(
  `SELECT id FROM calls WHERE started_at < ? AND (EXISTS (SELECT 1 FROM transcript_lines t WHERE t.call_id = calls.id)
     OR EXISTS (SELECT 1 FROM tool_calls tc WHERE tc.call_id = calls.id AND (tc.arguments != '{}' OR tc.result IS NOT NULL))) LIMIT ?`,
);
// A one-row write with synchronous=FULL: its commit syncs the WAL, and with it every frame
// the event loop's connection appended before (that connection does not sync itself).
const syncMark = db.prepare<[string, number]>(
  "INSERT INTO settings (key, value, updated_at) VALUES ('storage.syncedAt', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
);
const deleteLines = db.prepare<[number]>('DELETE FROM transcript_lines WHERE call_id = ?');
const clearTools = db.prepare<[number]>(`UPDATE tool_calls SET arguments = '{}', result = NULL WHERE call_id = ? AND (arguments != '{}' OR result IS NOT NULL)`);

function apply(request: StorageRequest): unknown {
  switch (request.op) {
    case 'line': {
      const info = insertLine.run(request.callId, request.speaker, request.text, request.interrupted ? 1 : 0, request.spokenAt);
      const { callId, speaker, text, interrupted, spokenAt } = request;
      return { id: Number(info.lastInsertRowid), callId, speaker, text, interrupted, spokenAt };
    }
    case 'seal':
      documents.seal(request.callId);
      return null;
    case 'sync': {
      const now = Date.now();
      syncMark.run(JSON.stringify(now), now);
      return null;
    }
    case 'seal-leftovers':
      return documents.sealLeftovers(request.startedBefore);
    case 'purge': {
      // A bounded batch: the caller comes back for the next one.
      let lines = 0;
      let toolCalls = 0;
      const calls = oldCalls.all(request.cutoff, request.maxCalls);
      for (const { id } of calls) {
        lines += deleteLines.run(id).changes;
        toolCalls += clearTools.run(id).changes;
      }
      return { calls: calls.length, lines, toolCalls };
    }
    case 'verify':
      return verify(request.file);
    case 'encrypt':
      encryptFile(request.from, request.to, Buffer.from(request.keyHex, 'hex'));
      return null;
    case 'decrypt':
      decryptFile(request.from, request.to, Buffer.from(request.keyHex, 'hex'));
      return null;
    case 'copy-database':
      throw new Error('copy-database is handled asynchronously');
  }
}

/** Opens a backup read-only and proves it whole: integrity_check, schema version, rows per table. */
function verify(file: string): unknown {
  const copy = new Database(file, { readonly: true, fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  try {
    return inspectDatabase(copy);
  } finally {
    copy.close();
  }
}

function reply(seq: number, run: () => unknown): StorageReply {
  try {
    return { seq, ok: true, value: run() };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { seq, ok: false, error: e.message, ...(e.code ? { code: e.code } : {}) };
  }
}

/**
 * Group commit. A transcript line (or a search seal) waits until this long after the last
 * synced commit, so that under load many share one fsync: each fsync costs the whole
 * machine, not just this thread (on the bench's VM, the engine with fewer, larger commits
 * added less audio latency than with one every 20 ms). Only the dashboard waits on a line,
 * and it still shows within the 100 ms the front desk would notice. Anything else, above
 * all a `sync` that a caller's booking is waiting on, is committed at once, together with
 * whatever lines are waiting.
 */
const LINE_GROUP_MS = 50;
let lastFlushAt = 0;
/** The pending flush and when it fires, so an urgent request can bring it forward. */
let flushTimer: { at: number; timer: NodeJS.Timeout } | null = null;
let batch: StorageMessage[] = [];
/** A database copy under way (SQLite's online backup is asynchronous): later requests wait for it. */
let copying: Promise<void> | null = null;
let closeRequested = false;

const isWrite = (m: StorageMessage) => m.request.op === 'line' || m.request.op === 'seal' || m.request.op === 'sync';

/** Copies a whole database page by page with SQLite's online backup: into a live one too (restore). */
async function copyDatabase(m: StorageMessage & { request: { op: 'copy-database' } }): Promise<void> {
  try {
    const source = new Database(m.request.from, { readonly: true, fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    try {
      await source.backup(m.request.to);
    } finally {
      source.close();
    }
    parentPort!.postMessage({ seq: m.seq, ok: true, value: null } satisfies StorageReply);
  } catch (err) {
    parentPort!.postMessage({ seq: m.seq, ok: false, error: (err as Error).message } satisfies StorageReply);
  }
}

/**
 * Writes that arrived together go in one transaction (one fsync); a failure there is
 * retried one by one, so one bad request fails alone. Everything stays in sent order:
 * a database copy holds back whatever was sent after it until it is done.
 */
function flush(): void {
  if (flushTimer) clearTimeout(flushTimer.timer);
  flushTimer = null;
  lastFlushAt = Date.now();
  while (batch.length > 0 && !copying) {
    const first = batch[0]!;
    if (first.request.op === 'copy-database') {
      batch.shift();
      copying = copyDatabase(first as StorageMessage & { request: { op: 'copy-database' } }).finally(() => {
        copying = null;
        flush();
      });
      return;
    }
    let j = 0;
    while (j < batch.length && batch[j]!.request.op !== 'copy-database' && (j === 0 || (isWrite(batch[j]!) && isWrite(batch[0]!)))) j++;
    const run = batch.splice(0, Math.max(j, 1));
    if (run.length > 1) {
      try {
        const values = db.transaction(() => run.map((m) => apply(m.request)))();
        run.forEach((m, k) => parentPort!.postMessage({ seq: m.seq, ok: true, value: values[k] } satisfies StorageReply));
        continue;
      } catch {
        // fall through: one by one
      }
    }
    for (const m of run) parentPort!.postMessage(reply(m.seq, () => apply(m.request)));
  }
  if (closeRequested && batch.length === 0 && !copying) {
    clearInterval(checkpoints);
    db.close();
    parentPort!.close();
  }
}

/**
 * The event loop's connection never checkpoints (a checkpoint syncs the database file), so
 * this thread does: SQLite's automatic checkpoint after this connection's own commits, and
 * a passive one every minute for what the event loop wrote while no call was writing here.
 */
const checkpoints = setInterval(() => {
  if (batch.length > 0 || copying || closeRequested) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy database: the next minute's checkpoint, or the next commit here, catches up.
  }
}, 60_000);
checkpoints.unref();

parentPort!.on('message', (message: StorageMessage | 'close') => {
  if (message === 'close') {
    closeRequested = true;
    flush();
    return;
  }
  batch.push(message);
  if (copying) return; // the copy's end flushes what waited
  const now = Date.now();
  const canWait = message.request.op === 'line' || message.request.op === 'seal';
  const at = canWait ? Math.max(now, lastFlushAt + LINE_GROUP_MS) : now;
  if (flushTimer && flushTimer.at <= at) return;
  if (flushTimer) clearTimeout(flushTimer.timer);
  flushTimer = { at, timer: setTimeout(flush, at - now) };
});
