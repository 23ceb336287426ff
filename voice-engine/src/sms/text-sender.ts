import type { TwilioRestClient } from '../twilio/rest.js';

/** Sends one text message through Twilio; rejects with Twilio's reason. */
export type SendText = (message: { to: string; from: string; body: string }) => Promise<void>;

export class TextingUnavailableError extends Error {
  constructor() {
    super('Twilio credentials are not set, so no text can be sent');
  }
}

/** Texts through the Twilio REST client of the moment (credentials can change in Settings). */
export function twilioTextSender(rest: () => TwilioRestClient | null): SendText {
  return async ({ to, from, body }) => {
    const client = rest();
    if (!client) throw new TextingUnavailableError();
    await client.messages.create({ to, from, body });
  };
}
