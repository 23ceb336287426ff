import type { Migration } from './types.js';

/**
 * What the call supervisor records on each call: why it left the receptionist or ended
 * (a named reason, also in system_errors), the keys the caller pressed, and when it left
 * the receptionist for a person, the fallback or a voicemail, so a restart never pulls a
 * caller back out of a transfer.
 */
export const migration005: Migration = {
  version: 5,
  name: 'call supervision: end reason, keys pressed, handed off',
  up: (db) => {
    db.exec(`
      ALTER TABLE calls ADD COLUMN end_reason TEXT;
      ALTER TABLE calls ADD COLUMN keys_pressed TEXT NOT NULL DEFAULT '';
      ALTER TABLE calls ADD COLUMN handed_off_at INTEGER;
      UPDATE calls SET handed_off_at = updated_at WHERE fallback IS NOT NULL;
    `);
  },
};
