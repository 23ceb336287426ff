import type { EngineEvents } from '../events.js';
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
