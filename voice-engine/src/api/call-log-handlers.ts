import type { AfterCallSummary, CallFiguresView, CallSearchQuery } from '../contract-views.js';
import { percentile } from '../call/call-figures.js';
import { INTENTS } from '../after-call/call-summarizer.js';
import type { EngineEvents } from '../events.js';
import { toSummary, type StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';
import { flagForFollowUp } from '../call/follow-up.js';

const PAGE = 100;
const EXPORT_LIMIT = 100_000;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote everything that could break a row, and neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `summaryOf`: the after-call summary; its columns stay empty unless one was made (never a default score). */
export function callsToCsv(
  calls: StoredCall[],
  summaryOf: (callId: number) => AfterCallSummary | null = () => null,
  figuresOf: (callId: number) => CallFiguresView | null = () => null,
): string {
  const header = ['call_id', 'started_at', 'caller', 'status', 'outcome', 'duration_s', 'needs_action', 'fallback', 'archived', 'channel', 'intent', 'sentiment', 'satisfaction', 'follow_up', 'summary', 'cost_usd', 'reply_p50_ms', 'reply_p95_ms', 'barge_ins'];
  const rows = calls.map((c) => {
    const s = summaryOf(c.id);
    const made = s?.state === 'done' ? s : null;
    const f = figuresOf(c.id);
    return [
      c.id, new Date(c.startedAt).toISOString(), c.fromMasked, c.status, c.outcome ?? '', c.durationS ?? '', c.needsAction ? 'yes' : 'no', c.fallback ?? '', c.archived ? 'yes' : 'no', c.channel,
      made?.intent ?? '', made?.sentiment ?? '', made?.satisfaction ?? '', made ? (made.followUp ? 'yes' : 'no') : '', made?.summary ?? '',
      f ? f.costUsd.toFixed(4) : '', f ? (percentile(f.replyMs, 50) ?? '') : '', f ? (percentile(f.replyMs, 95) ?? '') : '', f?.bargeIns ?? '',
    ]
      .map(csvCell)
      .join(',');
  });
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

function checkedQuery(args: CallSearchQuery): CallSearchQuery {
  for (const key of ['limit', 'beforeId', 'from', 'to'] as const) {
    const value = args[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) throw new HandlerError('BAD_REQUEST', `${key} must be a number`);
  }
  if (args.channel !== undefined && args.channel !== 'voice' && args.channel !== 'sms') throw new HandlerError('BAD_REQUEST', 'channel must be "voice" or "sms"');
  if (args.intent !== undefined && !INTENTS.includes(args.intent)) throw new HandlerError('BAD_REQUEST', `intent must be one of ${INTENTS.join(', ')}`);
  if (args.sentiment !== undefined && !(['positive', 'neutral', 'negative'] as unknown[]).includes(args.sentiment)) throw new HandlerError('BAD_REQUEST', 'sentiment must be positive, neutral or negative');
  if (args.summaryFollowUp !== undefined && typeof args.summaryFollowUp !== 'boolean') throw new HandlerError('BAD_REQUEST', 'summaryFollowUp must be true or false');
  return args;
}

/** The call log: search, export, archive and flag. */
export function registerCallLogHandlers(registry: HandlerRegistry, store: Store, events: EngineEvents): void {
  registry.register('calls/search', (args) => {
    const query = checkedQuery(args);
    const limit = Math.min(Math.max(query.limit ?? PAGE, 1), 500);
    const calls = store.callSearch.search(query, limit);
    return { calls: calls.map(toSummary), nextBeforeId: calls.length === limit ? calls.at(-1)!.id : null };
  });

  registry.register('calls/export-csv', (args) => {
    const calls = store.callSearch.search({ ...checkedQuery(args), beforeId: undefined }, EXPORT_LIMIT);
    const day = new Date().toISOString().slice(0, 10);
    return { filename: `deskline-calls-${day}.csv`, csv: callsToCsv(calls, (id) => store.summaries.get(id), (id) => store.figures.get(id)) };
  });

  const existing = (id: number): number => {
    if (!store.calls.get(id)) throw new HandlerError('NOT_FOUND', `No call with id ${id}`);
    return id;
  };

  registry.register('calls/archive', (args) => {
    const id = existing(Number(args.id));
    store.calls.archive(id, args.archived === true, Date.now());
    const summary = toSummary(store.calls.get(id)!);
    events.emit('call.updated', summary);
    return summary;
  });
  registry.register('calls/flag', (args) => flagForFollowUp(store, events, existing(Number(args.id)), args.needsAction === true)!);
}
