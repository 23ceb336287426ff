import type { CallOutcome, ToolCallRecord } from '../contract.js';
import type { Store } from '../store/index.js';

export type { CallOutcome };

/** Tools whose success changes what the call achieved, in order of what matters most to the clinic. */
const OUTCOME_BY_TOOL: ReadonlyArray<[string, CallOutcome]> = [
  ['book_appointment', 'booked'],
  ['reschedule_appointment', 'rescheduled'],
  ['cancel_appointment', 'cancelled'],
  ['take_message', 'message_taken'],
  ['transfer_to_staff', 'transferred'],
];

export interface OutcomeFacts {
  toolCalls: ToolCallRecord[];
  /** The receptionist could not carry the call and Twilio moved it to the fallback. */
  wentToFallback: boolean;
  callerSpoke: boolean;
  /** Staff or a tool put the caller through to a person. */
  transferred?: boolean;
  /** The call is with a person now (false: a transfer nobody took came back to the receptionist). */
  handedOff?: boolean;
}

function succeeded(call: ToolCallRecord): boolean {
  return call.status === 'ok' && typeof call.result === 'object' && call.result !== null && (call.result as { done?: unknown }).done === true;
}

/** What happened on a call, derived from the record rather than kept as separate state. */
export function deriveOutcome(facts: OutcomeFacts): CallOutcome {
  for (const [tool, outcome] of OUTCOME_BY_TOOL) {
    if (outcome === 'transferred' && facts.handedOff === false) continue;
    if (facts.toolCalls.some((c) => c.name === tool && succeeded(c))) return outcome;
  }
  if (facts.transferred) return 'transferred';
  if (facts.wentToFallback) return 'failed';
  return facts.callerSpoke ? 'info_only' : 'abandoned';
}

/** Works out and stores the outcome of a call from what is on record for it. */
export function settleOutcome(store: Store, callId: number, extra: { transferred?: boolean } = {}): CallOutcome | null {
  const call = store.calls.get(callId);
  if (!call) return null;
  const outcome = deriveOutcome({
    toolCalls: store.toolCalls.list(callId),
    wentToFallback: call.fallback !== null,
    callerSpoke: store.transcripts.list(callId).some((l) => l.speaker === 'caller'),
    transferred: extra.transferred,
    handedOff: store.supervision.get(callId)?.handedOffAt != null,
  });
  store.calls.setOutcome(callId, outcome, Date.now());
  return outcome;
}
