import OpenAI from 'openai';
import { loadKnowledge } from '../clinic/knowledge.js';
import type { EngineConfig } from '../config.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';
import { conversationText, summarize } from '../after-call/call-summarizer.js';

/** Lines finish arriving (late transcripts, the storage thread's commit) a moment after a call ends. */
const SETTLE_MS = 3000;
const RETRIES = 3;

/**
 * Makes the after-call summary of each ended call, one at a time, off the audio path: the
 * queue is in the database, so a summary not made before a restart is made after it. When
 * OpenAI still fails after the SDK's retries with backoff, the summary is marked failed
 * with the reason, and nothing is filled in.
 */
export interface Summaries {
  /** A call ended: its summary, once, after the last lines have settled. */
  queue(callId: number): void;
  /** A text thread went quiet: summarise it (again) now. */
  summarizeNow(callIds: readonly number[]): void;
  stop(): void;
}

export function scheduleSummaries(deps: { config: EngineConfig; store: Store; writer: StorageWriter; events: EngineEvents; log: Logger }): Summaries {
  const { config, store, writer, events, log } = deps;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();

  const one = async (callId: number) => {
    const call = store.calls.get(callId);
    const now = () => Date.now();
    if (!call) return;
    await writer.sync();
    const lines = store.transcripts.list(callId);
    if (!lines.some((l) => l.speaker === 'caller')) return store.summaries.end(callId, 'skipped', 'nothing was said', now());
    if (!config.openai.apiKey) return store.summaries.end(callId, 'failed', 'OPENAI_API_KEY is not set', now());
    const client = new OpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseUrl ?? undefined, maxRetries: RETRIES });
    try {
      const made = await summarize(client, config.openai.textModel, loadKnowledge(store), conversationText(lines, store.toolCalls.list(callId)), call.channel);
      store.summaries.done(callId, made, now());
      // The call log's search finds calls by their summary too: the call's document is written again with it.
      await writer.sealSearch(callId).catch((err: Error) => log.warn(`Call ${callId}: summary not added to search: ${err.message}`));
    } catch (err) {
      const message = (err as Error).message;
      store.summaries.end(callId, 'failed', `no summary: ${message}`, now());
      log.warn(`Call ${callId}: no summary (${message})`);
    }
    const updated = store.calls.get(callId);
    if (updated) events.emit('call.updated', toSummary(updated));
  };

  const drain = () => {
    running = running
      .then(async () => {
        for (let batch = store.summaries.pending(10); batch.length > 0 && !stopped; batch = store.summaries.pending(10)) {
          for (const id of batch) await one(id);
        }
      })
      .catch((err: Error) => {
        store.systemErrors.record({ type: 'summaries_failed', severity: 'error', message: err.message, stack: err.stack ?? null, occurredAt: Date.now() });
        log.error(`Summaries: ${err.message}`);
      });
  };
  // What a restart left unmade.
  const first = setTimeout(drain, SETTLE_MS);
  first.unref();
  return {
    queue(callId) {
      if (!store.summaries.queue(callId, Date.now())) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        drain();
      }, SETTLE_MS);
      timer.unref();
      timers.add(timer);
    },
    summarizeNow(callIds) {
      if (callIds.length === 0) return;
      for (const id of callIds) store.summaries.queueAgain(id, Date.now());
      drain();
    },
    stop() {
      stopped = true;
      clearTimeout(first);
      for (const t of timers) clearTimeout(t);
    },
  };
}
