import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { Summaries } from './summaries.js';

/** A thread with no text for this long is over for now, and is summarised. */
export const THREAD_QUIET_MS = 30 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 1000;
/** Threads are looked at for this long after their last text (a PC off for a week still catches up). */
const LOOK_BACK_MS = 14 * 24 * 60 * 60 * 1000;
const BATCH = 20;

/**
 * Text threads have no hang-up: once one has been quiet for half an hour, it gets the same
 * after-call summary a phone call does, and again whenever it carries on and goes quiet again.
 * A check a minute, a small bounded query, and the summaries' own queue does the rest.
 */
export function scheduleThreadSummaries(
  deps: { store: Store; summaries: Pick<Summaries, 'summarizeNow'>; log: Logger },
  clock: { now: () => number; everyMs: number } = { now: Date.now, everyMs: CHECK_EVERY_MS },
): { check(): number; stop(): void } {
  const check = (): number => {
    try {
      const now = clock.now();
      const quiet = deps.store.summaries.quietThreads(now - THREAD_QUIET_MS, now - LOOK_BACK_MS, BATCH);
      if (quiet.length > 0) deps.summaries.summarizeNow(quiet);
      return quiet.length;
    } catch (err) {
      deps.store.systemErrors.record({ type: 'summaries_failed', severity: 'error', message: (err as Error).message, stack: (err as Error).stack ?? null, occurredAt: Date.now() });
      deps.log.error(`Text thread summaries: ${(err as Error).message}`);
      return 0;
    }
  };
  const timer = setInterval(check, clock.everyMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
