import type { ClinicKnowledge } from '../clinic/knowledge.js';
import { greetingInstructions } from '../realtime/instructions.js';
import { createResponse } from '../realtime/protocol.js';
import type { ResponseCreateEvent } from 'openai/resources/realtime/realtime';
import type { SpeakPurpose } from './supervisor.js';
import type { AfterReply } from './after-reply.js';
import { returnFromTransferReply } from '../transfer/return-reply.js';

/**
 * What the receptionist is asked to say when the supervisor, not the caller, starts a
 * turn. Everything but the greeting runs with tools off: a prompt to check on a silent
 * caller must never book, move or cancel anything.
 */
export function supervisorReply(purpose: SpeakPurpose, knowledge: ClinicKnowledge, canTransfer: boolean): ResponseCreateEvent {
  switch (purpose) {
    case 'greeting':
      return createResponse(greetingInstructions(knowledge));
    case 'still-there':
      return createResponse('The caller has been silent for a while. Ask briefly, in one short sentence, whether they are still there.', { noTools: true });
    case 'idle-goodbye':
      return createResponse(
        'The caller has still not answered. Say in one or two short sentences that you cannot hear them, that they are welcome to call back, and goodbye.',
        { noTools: true },
      );
    case 'wrap-up':
      return createResponse(
        canTransfer
          ? 'This call has reached its time limit. Politely tell the caller you need to wrap up now and that you are connecting them to the front desk for anything else. Keep it to two short sentences.'
          : 'This call has reached its time limit. Politely tell the caller you need to wrap up now, that they are welcome to call again, and goodbye. Keep it to two short sentences.',
        { noTools: true },
      );
    case 'tool-filler':
      return createResponse('Say only one short sentence telling the caller you are still checking, for example "One moment, I am still checking that for you."', { noTools: true });
  }
}

/** A turn the supervisor asked for: what to ask the model, and what the call does after it is heard. */
export interface SupervisorTurn {
  reply: ResponseCreateEvent;
  /** Why the call will end after this turn (recorded now). */
  endReason?: 'max_call_length' | 'idle_caller';
  after?: AfterReply;
}

/**
 * `returning`: the call is back from a transfer nobody took, so its first turn is an
 * apology and an offer to take a message, not the greeting again.
 */
export function supervisorTurn(purpose: SpeakPurpose, knowledge: ClinicKnowledge, transferNumber: string | null, returning?: { declined: boolean }): SupervisorTurn {
  if (purpose === 'greeting' && returning) return { reply: returnFromTransferReply(returning.declined) };
  const reply = supervisorReply(purpose, knowledge, transferNumber !== null);
  if (purpose === 'idle-goodbye') return { reply, endReason: 'idle_caller', after: { kind: 'hang-up' } };
  if (purpose !== 'wrap-up') return { reply };
  // At the time limit the desk is told why; if nobody takes it, a voicemail, not the receptionist again.
  const after: AfterReply = transferNumber ? { kind: 'transfer', to: transferNumber, whisper: { reason: 'the call reached its time limit' }, final: true } : { kind: 'hang-up' };
  return { reply, endReason: 'max_call_length', after };
}
