import type { TwilioRestClient } from '../twilio/rest.js';

/** Sends one text message through Twilio; rejects with Twilio's reason. */
export type SendText = (message: { to: string; from: string; body: string }) => Promise<void>;

export class TextingUnavailableError extends Error {
  constructor() {
    super('Twilio credentials are not set, so no text can be sent');
  }
}

/**
 * Texts through the Twilio REST client of the moment (credentials can change in Settings).
 * A number that replied STOP gets nothing, whatever feature is texting.
 */
export function twilioTextSender(rest: () => TwilioRestClient | null, optedOut: (phone: string) => boolean = () => false): SendText {
  return async ({ to, from, body }) => {
    if (optedOut(to)) throw new Error('This number replied STOP: nothing is texted to it until it replies START');
    const client = rest();
    if (!client) throw new TextingUnavailableError();
    await client.messages.create({ to, from, body });
  };
}
