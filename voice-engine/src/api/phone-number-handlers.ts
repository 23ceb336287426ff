import { HandlerError, type HandlerRegistry } from './registry.js';
import { NumberSetupError, type NumberSetup } from '../twilio/number-setup.js';
import type { LineCheck } from '../contract-views.js';

/** Twilio's own refusals and a missing setting come back as a reason the admin can act on. */
async function explained<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NumberSetupError) throw new HandlerError('BAD_REQUEST', err.message);
    const e = err as { status?: number; message?: string };
    if (e.status === 401) throw new HandlerError('BAD_REQUEST', 'Twilio refused the Account SID and Auth Token: check them in Settings → Phone.');
    if (e.status === 404) throw new HandlerError('NOT_FOUND', 'Twilio has no such number on this account.');
    throw new HandlerError('BAD_REQUEST', `Twilio could not do that: ${e.message ?? 'no answer'}`);
  }
}

export function registerPhoneNumberHandlers(registry: HandlerRegistry, setup: NumberSetup, after: () => void, selfTest: () => Promise<LineCheck[]>): void {
  registry.register('twilio/self-test', () => selfTest());
  registry.register('twilio/numbers', () =>
    explained(async () => {
      const numbers = await setup.list();
      // The admin is looking at Twilio's settings now: the status bar catches up too.
      after();
      return numbers;
    }),
  );
  registry.register('twilio/connect-number', (args) => {
    if (typeof args.sid !== 'string' || !/^PN[0-9a-fA-F]{32}$/.test(args.sid)) throw new HandlerError('BAD_REQUEST', 'Pick one of the account’s numbers.');
    return explained(async () => {
      const result = await setup.connect(args.sid);
      after();
      return result;
    });
  });
  registry.register('twilio/disconnect-number', () =>
    explained(async () => {
      const result = await setup.disconnect();
      after();
      return result;
    }),
  );
}
