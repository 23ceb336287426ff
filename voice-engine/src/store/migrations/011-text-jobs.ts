import type { Migration } from './types.js';

/**
 * Texts Deskline sends on its own (confirmations, reminders, missed-call text-backs) as
 * durable jobs: they survive restarts and a PC that slept, and each goes out at most once
 * (a job is claimed before it is sent). A reminder's "C" reply is kept on the appointment.
 */
export const migration011: Migration = {
  version: 11,
  name: 'text jobs: confirmations, reminders, missed-call texts; confirmed appointments',
  up: (db) => {
    db.exec(`
      CREATE TABLE text_jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('booked', 'moved', 'cancelled', 'reminder', 'missed_call')),
        appointment_id INTEGER REFERENCES appointments (id) ON DELETE CASCADE,
        call_id INTEGER REFERENCES calls (id) ON DELETE CASCADE,
        phone TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'skipped', 'failed')),
        detail TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX text_jobs_due ON text_jobs (state, due_at);
      CREATE UNIQUE INDEX text_jobs_once ON text_jobs (kind, appointment_id, due_at) WHERE appointment_id IS NOT NULL;
      CREATE UNIQUE INDEX text_jobs_missed_once ON text_jobs (call_id) WHERE kind = 'missed_call';
      ALTER TABLE appointments ADD COLUMN confirmed_at INTEGER;
    `);
  },
};
