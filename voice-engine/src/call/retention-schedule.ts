import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';

export const RETENTION_SETTING = 'retention.transcriptDays';
const EVERY_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Applies the clinic's retention setting now and every few hours; returns a stop function. */
export function scheduleRetention(store: Store, log: Logger): () => void {
  const run = () => {
    const days = store.settings.get<number | null>(RETENTION_SETTING);
    if (!days) return;
    const { lines, toolCalls } = store.retention.purgeBefore(Date.now() - days * DAY_MS);
    if (lines + toolCalls > 0) log.info(`Retention: removed ${lines} transcript lines and cleared ${toolCalls} tool call details older than ${days} days`);
  };
  run();
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
