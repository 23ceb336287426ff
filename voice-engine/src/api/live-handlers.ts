import { isE164 } from '../clinic/validate.js';
import type { LiveCalls } from '../call/live-calls.js';
import type { EngineConfig } from '../config.js';
import type { LiveCallView } from '../contract-views.js';
import { toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import type { TwilioCallControl } from '../twilio/call-control.js';
import { HandlerError, type HandlerRegistry } from './registry.js';
import { staffTransferWhisper } from '../transfer/staff-whisper.js';
import type { WarmTransfers } from '../transfer/warm-transfers.js';
import type { TestCalls } from '../test-call/test-calls.js';


/** The Live calls screen: who is on the line now, and what staff can do about it. */
export function registerLiveHandlers(
  registry: HandlerRegistry,
  deps: { store: Store; liveCalls: LiveCalls; control: TwilioCallControl; config: EngineConfig; transfers: WarmTransfers; testCalls: Pick<TestCalls, 'isTest' | 'hangUpBySid'> },
): void {
  const { store, liveCalls, control, config, transfers, testCalls } = deps;

  registry.register('live/list', () =>
    liveCalls.all().flatMap((live): LiveCallView[] => {
      const call = store.calls.get(live.call.id);
      if (!call) return [];
      return [
        {
          call: toSummary(call),
          callerName: store.patients.withPhone(call.fromNumber)[0]?.name ?? null,
          state: live.activity,
          transcript: store.transcripts.list(call.id),
          toolCalls: store.toolCalls.list(call.id),
        },
      ];
    }),
  );

  registry.register('live/transfer', async (args) => {
    const to = typeof args.to === 'string' && args.to.trim() !== '' ? args.to.trim() : config.transferNumber;
    if (!to) throw new HandlerError('BAD_REQUEST', 'No transfer number is set: enter the number to transfer to, or set one in Settings.');
    if (!isE164(to)) throw new HandlerError('BAD_REQUEST', 'Enter the number in international form, such as +15551234567.');
    const live = liveCalls.get(String(args.callSid));
    if (!live) throw new HandlerError('NOT_FOUND', 'That call has already ended.');
    if (testCalls.isTest(live.callSid)) throw new HandlerError('BAD_REQUEST', 'A test call cannot be transferred: it would ring the front desk for real.');
    live.markTransferred();
    const call = store.calls.get(live.call.id) ?? live.call;
    // The desk hears who and why, as for the receptionist's own transfers; if nobody takes it, the receptionist takes a message.
    transfers.start({ callSid: live.callSid, callId: call.id, whisper: staffTransferWhisper(store, call), returnToReceptionist: true, startedAt: Date.now(), memory: live.memory });
    await control.transfer(live.callSid, to, 'Please hold while I connect you to the front desk.');
  });

  registry.register('live/hang-up', async (args) => {
    const live = liveCalls.get(String(args.callSid));
    if (!live) throw new HandlerError('NOT_FOUND', 'That call has already ended.');
    if (testCalls.isTest(live.callSid)) return testCalls.hangUpBySid(live.callSid);
    await control.hangUp(live.callSid);
  });
}
