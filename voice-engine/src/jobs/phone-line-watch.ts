import type { PhoneLineStatus } from '../contract-views.js';
import type { Logger } from '../log.js';
import type { NumberSetup } from '../twilio/number-setup.js';
import { scheduleWhenLineQuiet } from './when-line-quiet.js';

const EVERY_MS = 5 * 60 * 1000;

/**
 * Asks Twilio every few minutes whether the connected number still sends its calls to this
 * PC (a new tunnel address, or someone changed it in the console), for the status bar.
 */
export function schedulePhoneLineWatch(setup: NumberSetup, log: Logger, lineBusy: () => boolean): { current(): PhoneLineStatus | null; checkNow(): void; stop(): void } {
  let last: PhoneLineStatus | null = null;
  let running = false;
  const checkNow = () => {
    if (running) return;
    running = true;
    setup
      .check()
      .then((status) => {
        if (status && !status.pointsHere && last?.pointsHere !== false) log.warn(status.problem ?? 'The Twilio number does not point at this PC');
        last = status;
      })
      .catch((err: Error) => log.warn(`Could not check the Twilio number: ${err.message}`))
      .finally(() => (running = false));
  };
  // Staff asking (checkNow) get an answer at once; the watch itself waits for a quiet line.
  const scheduled = scheduleWhenLineQuiet(lineBusy, checkNow, 5_000, EVERY_MS);
  return { current: () => last, checkNow, stop: () => scheduled.stop() };
}
