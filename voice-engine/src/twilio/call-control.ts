import type { TwilioRestClient } from './rest.js';
import { warmTransferTwiml, type FallbackUrls } from './twiml.js';

export class CallControlUnavailableError extends Error {
  constructor() {
    super('Twilio credentials are not set, so the engine cannot transfer or hang up calls');
  }
}

/** What the engine can do to a live call through Twilio REST: used by tools and by staff. */
export class TwilioCallControl {
  constructor(
    private readonly rest: () => TwilioRestClient | null,
    private readonly urls: () => FallbackUrls,
  ) {}

  async hangUp(callSid: string): Promise<void> {
    await this.client().calls(callSid).update({ status: 'completed' });
  }

  /** A warm transfer: register its whisper (WarmTransfers) first, or the desk hears a plain one. */
  async transfer(callSid: string, to: string, announcement?: string): Promise<void> {
    await this.client().calls(callSid).update({ twiml: warmTransferTwiml(to, callSid, this.urls(), announcement) });
  }

  private client(): TwilioRestClient {
    const rest = this.rest();
    if (!rest) throw new CallControlUnavailableError();
    return rest;
  }
}
