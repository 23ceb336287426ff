import type { Migration } from './types.js';

/**
 * Urgent calls: a caller who described a possible emergency or one of the clinic's own
 * urgent situations. The situation (a fixed word or the clinic's description, never the
 * caller's words) is shown on the live card, the call log and the Inbox; the caller's own
 * description, which is PHI, is kept apart for staff only.
 */
export const migration007: Migration = {
  version: 7,
  name: 'urgent calls: situation, note, time',
  up: (db) => {
    db.exec(`
      ALTER TABLE calls ADD COLUMN urgent TEXT;
      ALTER TABLE calls ADD COLUMN urgent_note TEXT;
      ALTER TABLE calls ADD COLUMN urgent_at INTEGER;
    `);
  },
};
