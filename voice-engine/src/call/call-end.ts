import type { EngineEvents } from '../events.js';
import type { PricingSettings } from '../clinic/knowledge.js';
import type { Logger } from '../log.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';
import { recordCallFigures } from '../after-call/record-figures.js';
import type { CallFigures } from './call-figures.js';
import { toSummary, type StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { settleOutcome } from './outcome.js';

/**
 * What the record says once a live call is over for the engine: its outcome, its final
 * status when the caller simply hung up, and the card and Inbox brought up to date.
 */
export function recordCallEnd(deps: { store: Store; events: EngineEvents }, call: StoredCall, end: { reason: string; wasLive: boolean; transferred: boolean }): void {
  const { store, events } = deps;
  if (end.reason !== 'engine shutting down') settleOutcome(store, call.id, { transferred: end.transferred });
  // A transferred call's stream stops too, but the caller is still on the line with staff.
  if (end.wasLive && end.reason === 'stream stopped' && !end.transferred) {
    const now = Date.now();
    const updated = store.calls.updateStatus(call.callSid, 'completed', now, Math.round((now - call.startedAt) / 1000));
    if (updated) events.emit('call.ended', toSummary(updated));
  } else {
    const updated = store.calls.get(call.id);
    if (updated) events.emit('call.updated', toSummary(updated));
  }
}

/**
 * What is kept of the call besides its outcome: its cost and reply times, and its search
 * document (written once, after its last line: the writer keeps order). Neither can fail the call.
 */
export function keepCallRecords(
  deps: { store: Store; writer: StorageWriter; log: Logger },
  call: StoredCall,
  figures: CallFigures,
  pricing: PricingSettings,
  recordError: (type: string, message: string, error: Error) => void,
): void {
  try {
    recordCallFigures(deps.store, call, figures, pricing, Date.now());
  } catch (err) {
    recordError('call_figures_failed', (err as Error).message, err as Error);
  }
  deps.writer.sealSearch(call.id).catch((err: Error) => deps.log.warn(`Call ${call.id}: search index not written: ${err.message}`));
}
