import type { ToolDefinition } from '../call/tools.js';
import type { EngineEvents } from '../events.js';
import type { Store } from '../store/index.js';
import type { Urgency } from '../store/messages.js';
import { normalizePhone } from '../store/patients.js';
import { flagForFollowUp } from '../call/follow-up.js';
import { TRANSFER_CAME_BACK } from '../transfer/warm-transfers.js';
import { RECORDING_DECLINED } from '../recording/recorder-for-call.js';

const URGENCIES: readonly Urgency[] = ['low', 'normal', 'urgent'];

function text(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  return typeof value === 'string' ? value.trim() : '';
}

/** Tools that act on the call itself or leave something for staff. */
export function callTools(store: Store, events: EngineEvents, transferNumber: () => string | null): ToolDefinition[] {
  const takeMessage: ToolDefinition = {
    name: 'take_message',
    description: 'Leave a message for the clinic team: why the caller called, the number to call back, and how urgent it is.',
    parameters: {
      type: 'object',
      properties: {
        reason: { type: 'string', description: 'What the caller needs, in a sentence.' },
        callback_number: { type: 'string', description: 'Number to call back; omit to use the number they are calling from.' },
        caller_name: { type: 'string' },
        urgency: { type: 'string', enum: URGENCIES },
      },
      required: ['reason'],
    },
    run(args, ctx) {
      const reason = text(args, 'reason');
      if (!reason) return { done: false, say: 'What would you like me to pass on to the team?' };
      const callback = normalizePhone(text(args, 'callback_number') || ctx.callerNumber);
      if (callback.replace(/\D/g, '').length < 7) return { done: false, say: 'What is the best number for the team to call you back on?' };
      const urgency = URGENCIES.includes(text(args, 'urgency') as Urgency) ? (text(args, 'urgency') as Urgency) : 'normal';
      const message = store.messages.add({ callId: ctx.callId, callerName: text(args, 'caller_name') || null, callbackNumber: callback, reason, urgency });
      flagForFollowUp(store, events, ctx.callId, true, ctx.now);
      return { done: true, message_id: message.id, say: 'I have passed your message to the team and they will call you back.' };
    },
  };

  const transferToStaff: ToolDefinition = {
    name: 'transfer_to_staff',
    description:
      'Put the caller through to a person at the front desk. In the same turn: first tell the caller, in one short sentence, that you are putting them through, then call this. Say nothing after it.',
    parameters: {
      type: 'object',
      properties: {
        reason: { type: 'string', description: 'Why they want a person, in one short sentence for the front desk, e.g. "wants to discuss a bill".' },
        caller_name: { type: 'string', description: 'The name the caller gave, if they gave one.' },
      },
    },
    run(args, ctx) {
      const to = transferNumber();
      if (!to) return { done: false, say: 'Nobody can take the call right now. Offer to take a message instead.', next: 'take_message' };
      // The desk was tried on this call and nobody took it: ringing it again would only keep the caller waiting.
      if (ctx.memory.get(TRANSFER_CAME_BACK)) return { done: false, say: 'The front desk could not take the call just now. Offer to take a message instead.', next: 'take_message' };
      ctx.call.transferAfterReply(to, { announcedFirst: true, whisper: { callerName: text(args, 'caller_name') || undefined, reason: text(args, 'reason') || undefined } });
      // Spoken only when the model called this without saying so first.
      return { done: true, say: 'In one short sentence, tell the caller you are putting them through now.' };
    },
  };

  const endCall: ToolDefinition = {
    name: 'end_call',
    description: 'Hang up once the caller has nothing else. In the same turn: say one short, warm goodbye, then call this. Say nothing after it; the line closes once your goodbye has played.',
    parameters: { type: 'object', properties: {} },
    run(_args, ctx) {
      ctx.call.hangUpAfterReply({ announcedFirst: true });
      // Spoken only when the model called this without saying goodbye first.
      return { done: true, say: 'Say one short, warm goodbye. The call ends after it.' };
    },
  };

  const stopRecording: ToolDefinition = {
    name: 'stop_recording',
    description: 'The caller does not want this call recorded: call this straight away. Recording stops and nothing of the call is kept; then tell them so and carry on helping.',
    parameters: { type: 'object', properties: {} },
    run(_args, ctx) {
      ctx.memory.set(RECORDING_DECLINED, true);
      const was = ctx.call.stopRecording?.() ?? false;
      return { done: true, say: was ? 'Tell the caller the recording is off and nothing of this call is kept, then carry on.' : 'This call is not being recorded; tell the caller so and carry on.' };
    },
  };

  return [takeMessage, transferToStaff, endCall, stopRecording];
}
