import type { CalendarError } from '../calendar/backend.js';
import type { EngineEvents } from '../events.js';
import type { Store } from '../store/index.js';
import { flagForFollowUp } from '../call/follow-up.js';

/** What the caller hears for each kind of calendar failure, and what the model should do next. */
const CALLER_MESSAGES: Record<CalendarError['kind'], { say: string; next: string }> = {
  not_found: { say: 'I can’t reach the appointment book because of a setup problem on our side.', next: 'Offer to transfer the caller to the front desk (transfer_to_staff).' },
  rate_limited: { say: 'The appointment book is very busy right now.', next: 'Offer to take their details so the team can book them (take_message).' },
  unavailable: { say: 'The appointment book isn’t available right now.', next: 'Take a callback number and a message so the team can call back (take_message).' },
  auth: { say: 'I can’t reach the appointment book because of a setup problem on our side.', next: 'Offer to transfer the caller to the front desk (transfer_to_staff).' },
  other: { say: 'Something went wrong with the appointment book.', next: 'Offer to take a message (take_message).' },
};

/**
 * A calendar failure never ends the call: it is recorded, the call is flagged for
 * follow-up, setup problems raise an alert, and the model gets words to say.
 */
export function handleCalendarFailure(store: Store, events: EngineEvents, callId: number, error: CalendarError, now: number): Record<string, unknown> {
  const setupProblem = error.kind === 'auth' || error.kind === 'not_found';
  store.systemErrors.record({
    type: setupProblem ? 'calendar_setup' : 'calendar_unavailable',
    severity: setupProblem ? 'critical' : 'error',
    callId,
    message: `Calendar ${error.status ?? 'network'} (${error.kind}): ${error.message}`,
    stack: error.stack ?? null,
    occurredAt: now,
  });
  flagForFollowUp(store, events, callId, true, now);
  const message = CALLER_MESSAGES[error.kind];
  return { done: false, calendar_error: error.kind, say: message.say, next: message.next };
}
