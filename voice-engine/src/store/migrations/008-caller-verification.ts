import type { Migration } from './types.js';

/**
 * Twilio's STIR/SHAKEN verdict on the caller's number (StirVerstat on the incoming-call
 * webhook), kept with the call: caller ID alone proves nothing, so the receptionist reads
 * out a patient's appointments by caller ID only when the carrier verified the number.
 */
export const migration008: Migration = {
  version: 8,
  name: 'caller verification: STIR/SHAKEN verdict',
  up: (db) => {
    db.exec('ALTER TABLE calls ADD COLUMN stir_verstat TEXT');
  },
};
