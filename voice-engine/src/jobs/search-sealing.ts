import type { Logger } from '../log.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';

/** A call record older than this that never ended was cut off by a crash. */
const STALE_MS = 6 * 60 * 60 * 1000;
const FIRST_RUN_MS = 30_000;
const EVERY_MS = 60 * 60 * 1000;

/**
 * Writes the search documents of calls a crash left without one, in batches of 50 on the
 * storage thread, a little after start and hourly. Never inside start-up.
 */
export function scheduleSearchSealing(writer: StorageWriter, log: Logger): { stop(): void } {
  let stopped = false;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      let sealed = 0;
      for (let batch = -1; batch !== 0 && !stopped; sealed += batch) batch = await writer.sealLeftovers(Date.now() - STALE_MS);
      if (sealed > 0) log.info(`Search: indexed ${sealed} calls left open by an earlier stop`);
    } catch (err) {
      log.warn(`Search indexing of earlier calls failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), FIRST_RUN_MS);
  const timer = setInterval(() => void run(), EVERY_MS);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
