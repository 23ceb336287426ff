import { createResponse } from '../realtime/protocol.js';
import type { ResponseCreateEvent } from 'openai/resources/realtime/realtime';

/**
 * The receptionist's first words when a transfer nobody took comes back to it: one short
 * apology and an offer to take a message. The caller already heard the greeting and the
 * ringing, so no second greeting and no second try at the same desk.
 */
export function returnFromTransferReply(declined: boolean): ResponseCreateEvent {
  const why = declined ? 'nobody at the front desk is free to take the call right now' : 'nobody at the front desk answered';
  return createResponse(
    `You tried to put the caller through to the front desk, but ${why}. In one or two short sentences: apologise, ` +
      'say so, and offer to take a message so the team can call them back. Then take the message with take_message. Do not greet them again.',
  );
}
