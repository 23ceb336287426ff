import type { Migration } from './types.js';

/**
 * Test calls from the dashboard ("Talk to the receptionist"): the call, and each appointment
 * it books, says it is a test and which diary it booked into ('real_diary' or 'sandbox');
 * real ones have NULL. A sandbox appointment is kept apart from the clinic's diary: it blocks
 * no real caller's time, goes to no external calendar and sends no text.
 */
export const migration017: Migration = {
  version: 17,
  name: 'test calls',
  up: (db) => {
    db.exec(`
      ALTER TABLE calls ADD COLUMN test_call TEXT CHECK (test_call IN ('real_diary', 'sandbox'));
      ALTER TABLE appointments ADD COLUMN test_call TEXT CHECK (test_call IN ('real_diary', 'sandbox'));
      -- "Has anyone tried the receptionist?" (the setup checklist) without scanning every call.
      CREATE INDEX calls_test_call ON calls (id) WHERE test_call IS NOT NULL;
    `);
  },
};
