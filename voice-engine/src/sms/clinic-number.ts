import type { Store } from '../store/index.js';

/** Where Settings → Telephony keeps the clinic's Twilio number. */
export const TWILIO_NUMBER_KEY = 'telephony.twilioNumber';

/**
 * The number the clinic texts a patient from: the one their thread already uses, else the
 * clinic's Twilio number from Settings, else the number patients last called.
 */
export function clinicNumberFor(store: Store, phone: string): string | null {
  return (
    store.sms.thread(phone)?.clinicNumber ??
    store.settings.get<string>(TWILIO_NUMBER_KEY) ??
    store.sms.lastCalledNumber()
  );
}
