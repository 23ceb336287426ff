import { rm } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { AUDIT_RETENTION_SETTING, DEFAULT_AUDIT_RETENTION_DAYS } from '../accounts/account-handlers.js';
import type { Store } from '../store/index.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';

export const RETENTION_SETTING = 'retention.transcriptDays';
const EVERY_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Never inside start-up: a big purge must not hold the engine's ready answer. */
const FIRST_RUN_MS = 2 * 60 * 1000;
/** Calls per batch on the storage thread; batches follow one another, so calls' writes interleave. */
const BATCH_CALLS = 200;

/**
 * Applies the clinic's retention setting a little after start and every few hours, in
 * bounded batches on the storage thread. Returns a stop function.
 */
export function scheduleRetention(store: Store, writer: StorageWriter, log: Logger): { stop(): void; runNow(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const purge = async () => {
    const days = store.settings.get<number | null>(RETENTION_SETTING);
    if (!days) return;

    const cutoff = Date.now() - days * DAY_MS;
    let lines = 0;
    let toolCalls = 0;
    for (;;) {
      if (stopped) return;
      const batch = await writer.purge(cutoff, BATCH_CALLS);
      lines += batch.lines;
      toolCalls += batch.toolCalls;
      if (batch.calls < BATCH_CALLS) break;
    }
    if (lines + toolCalls > 0) log.info(`Retention: removed ${lines} transcript lines and cleared ${toolCalls} tool call details older than ${days} days`);
    const recordings = await purgeRecordings(store, cutoff, () => stopped);
    if (recordings > 0) log.info(`Retention: deleted ${recordings} call recordings older than ${days} days`);
  };
  /** The audit log has its own, longer retention (six years unless changed), whatever the transcripts'. */
  const purgeAudit = async () => {
    const days = store.settings.get<number>(AUDIT_RETENTION_SETTING) ?? DEFAULT_AUDIT_RETENTION_DAYS;
    let removed = 0;
    for (let batch = BATCH_CALLS; batch === BATCH_CALLS && !stopped; ) {
      batch = store.audit.purgeOlderThan(Date.now() - days * DAY_MS, BATCH_CALLS);
      removed += batch;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (removed > 0) log.info(`Retention: removed ${removed} audit entries older than ${days} days`);
  };
  const runNow = () => {
    running ??= purge()
      .then(purgeAudit)
      .catch((err: Error) => {
        store.systemErrors.record({ type: 'retention_failed', severity: 'error', message: err.message, stack: err.stack ?? null, occurredAt: Date.now() });
        log.error(`Retention failed: ${err.message}`);
      })
      .finally(() => (running = null));
    return running;
  };
  const first = setTimeout(() => void runNow(), FIRST_RUN_MS);
  const timer = setInterval(() => void runNow(), EVERY_MS);
  first.unref();
  timer.unref();
  return {
    runNow,
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

/** Call recordings go with the transcripts: the file, then its row, a batch at a time. */
async function purgeRecordings(store: Store, cutoff: number, stopped: () => boolean): Promise<number> {
  let removed = 0;
  for (;;) {
    if (stopped()) return removed;
    const batch = store.recordings.olderThan(cutoff, BATCH_CALLS);
    for (const recording of batch) {
      await rm(recording.file, { force: true });
      store.recordings.remove(recording.callId);
      removed++;
    }
    if (batch.length < BATCH_CALLS) return removed;
  }
}
