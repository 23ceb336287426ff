import type { CallDeps } from '../call/call-deps.js';
import type { StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { maskPhone } from '../phi.js';

/** Ends a test call's line with words for the person at the dashboard. */
export type EndLine = (words: string) => void;

/**
 * Where a test call goes when it leaves the receptionist. Nothing reaches Twilio or a phone:
 * a hang-up ends the test, and a transfer, hand-off or fallback ends it too, saying what a real
 * caller would get at that point. What is recorded about the call is recorded as for any call.
 */
export function testCallExits(
  base: Pick<CallDeps, 'fallback' | 'config'>,
  store: Store,
  endLine: EndLine,
): Pick<CallDeps, 'control' | 'fallback'> {
  const desk = () => (base.config.transferNumber ? `the front desk (${maskPhone(base.config.transferNumber)})` : 'a voicemail, since no front-desk number is set');
  return {
    control: {
      hangUp: async () => endLine('The receptionist ended the call.'),
      transfer: async (_callSid: string, to: string) => endLine(`In a real call, the caller would now be put through to ${maskPhone(to)}. A test call ends here.`),
    },
    fallback: {
      // The failure is recorded and shown to staff as for a phone call: it is what the test is for.
      prepare: (call, failure) => base.fallback.prepare(call, failure),
      handOff: async (call: StoredCall, reason: string) => {
        const now = Date.now();
        store.supervision.recordEndReason(call.id, reason, now);
        store.supervision.markHandedOff(call.id, now);
        endLine(`In a real call, the caller would now go to ${desk()}. A test call ends here.`);
      },
      sendRedirect: async () => endLine(`The receptionist could not carry on. In a real call, the caller would now go to ${desk()}. See Logs for why.`),
    },
  };
}
