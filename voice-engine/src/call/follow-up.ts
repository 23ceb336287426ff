import type { CallSummary } from '../contract.js';
import type { EngineEvents } from '../events.js';
import { toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';

/** Tells every UI a call's follow-up state changed: its card and the Inbox update together. */
export function announceFollowUp(store: Store, events: EngineEvents, callId: number): CallSummary | undefined {
  const call = store.calls.get(callId);
  const summary = call && toSummary(call);
  if (summary) events.emit('call.updated', summary);
  events.emit('inbox.changed', {});
  return summary;
}

/** Marks a call as needing (or no longer needing) a person, and says so. */
export function flagForFollowUp(store: Store, events: EngineEvents, callId: number, needsAction = true, at = Date.now()): CallSummary | undefined {
  store.calls.flag(callId, needsAction, at);
  return announceFollowUp(store, events, callId);
}
