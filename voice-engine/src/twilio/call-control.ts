import type { TwilioRestClient } from './rest.js';
import { transferTwiml } from './twiml.js';

export class CallControlUnavailableError extends Error {
  constructor() {
    super('Twilio credentials are not set, so the engine cannot transfer or hang up calls');
  }
}

/** What the engine can do to a live call through Twilio REST: used by tools and by staff. */
export class TwilioCallControl {
  constructor(
    private readonly rest: () => TwilioRestClient | null,
    private readonly dialStatusUrl: () => string,
  ) {}

  async hangUp(callSid: string): Promise<void> {
    await this.client().calls(callSid).update({ status: 'completed' });
  }

  async transfer(callSid: string, to: string, announcement?: string): Promise<void> {
    await this.client().calls(callSid).update({ twiml: transferTwiml(to, this.dialStatusUrl(), announcement) });
  }

  private client(): TwilioRestClient {
    const rest = this.rest();
    if (!rest) throw new CallControlUnavailableError();
    return rest;
  }
}
