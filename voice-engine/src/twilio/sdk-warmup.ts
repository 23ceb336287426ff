import { createTwilioRestClient } from './rest.js';

/**
 * The twilio SDK loads each API's modules the first time its resource is touched: about
 * 50 ms of synchronous `require` for the 2010 API alone. Left lazy, that first touch
 * happens mid-call (the first hang-up, transfer, text or the voicemail pickup) and every
 * call on the line loses 50 ms of audio in both directions. Touched here once, at start-up,
 * before the engine answers anything; no request is sent.
 */
export function loadTwilioApis(): number {
  const client = createTwilioRestClient({ accountSid: `AC${'0'.repeat(32)}`, authToken: 'warm-up', apiBaseUrl: 'http://127.0.0.1:9' });
  const touched = [client.calls, client.messages, client.recordings, client.incomingPhoneNumbers, client.studio.v2.flows];
  return touched.length;
}
