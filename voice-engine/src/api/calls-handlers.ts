import { DateTime } from 'luxon';
import type { CallDetail, ClinicFiguresView } from '../contract.js';
import { loadKnowledge } from '../clinic/knowledge.js';
import { percentile } from '../call/call-figures.js';
import { toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';
import { readFile } from 'node:fs/promises';

function recordingView(store: Store, callId: number): CallDetail['recording'] {
  const row = store.recordings.get(callId);
  return row ? { durationMs: row.durationMs, finished: row.finishedAt !== null } : null;
}

export function registerCallHandlers(registry: HandlerRegistry, store: Store): void {
  registry.register('calls/list', (args) => {
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    const beforeId = args.beforeId === undefined ? undefined : Number(args.beforeId);
    if ((limit !== undefined && !Number.isInteger(limit)) || (beforeId !== undefined && !Number.isInteger(beforeId))) {
      throw new HandlerError('BAD_REQUEST', 'limit and beforeId must be whole numbers');
    }
    return store.calls.list({ limit, beforeId }).map(toSummary);
  });

  registry.register('calls/get', (args): CallDetail => {
    const id = Number(args.id);
    if (!Number.isInteger(id)) throw new HandlerError('BAD_REQUEST', 'id must be a whole number');
    const call = store.calls.get(id);
    if (!call) throw new HandlerError('NOT_FOUND', `No call with id ${id}`);
    return {
      ...toSummary(call),
      transcript: store.transcripts.list(id),
      toolCalls: store.toolCalls.list(id),
      errors: store.systemErrors.listForCall(id),
      voicemails: store.voicemails.listForCall(id),
      summary: store.summaries.get(id),
      figures: store.figures.get(id),
      recording: recordingView(store, id),
    };
  });

  registry.register('recordings/audio', async (args) => {
    const row = store.recordings.get(Number(args.callId));
    if (!row) throw new HandlerError('NOT_FOUND', 'That call was not recorded.');
    try {
      return { mime: 'audio/wav', base64: (await readFile(row.file)).toString('base64') };
    } catch {
      throw new HandlerError('NOT_FOUND', 'The recording file is missing from the data folder.');
    }
  });

  /** Today's and this month's figures for the Live calls screen, in the clinic's time zone. */
  registry.register('calls/figures', (): ClinicFiguresView => {
    const zone = loadKnowledge(store).profile.timezone;
    const now = DateTime.now().setZone(zone);
    const today = store.figures.since(now.startOf('day').toMillis());
    const month = store.figures.since(now.startOf('month').toMillis());
    const replies = today.flatMap((c) => c.replyMs);
    const sum = (list: Array<{ costUsd: number }>) => list.reduce((t, c) => t + c.costUsd, 0);
    return {
      today: { calls: today.length, costUsd: sum(today), replyP50Ms: percentile(replies, 50), replyP95Ms: percentile(replies, 95) },
      month: { calls: month.length, costUsd: sum(month) },
    };
  });
}
