import type { Migration } from './types.js';

/**
 * Texts. A patient's text conversation is one row in `calls` with channel 'sms' (so it has
 * a place in the call log, an outcome, tool calls and a searchable transcript like a phone
 * call), one thread per phone number; each text is kept with its direction, its Twilio
 * MessageSid (unique: Twilio retries webhooks) and its delivery status. Opt-outs (STOP)
 * are per phone number and hold for every feature until START.
 */
export const migration010: Migration = {
  version: 10,
  name: 'sms: text threads, messages and opt-outs',
  up: (db) => {
    db.exec(`
      ALTER TABLE calls ADD COLUMN channel TEXT NOT NULL DEFAULT 'voice';
      CREATE TABLE sms_threads (
        phone TEXT PRIMARY KEY,
        call_id INTEGER NOT NULL UNIQUE REFERENCES calls (id) ON DELETE CASCADE,
        clinic_number TEXT NOT NULL,
        staff_took_over_at INTEGER,
        staff_took_over_by TEXT
      );
      CREATE TABLE sms_messages (
        id INTEGER PRIMARY KEY,
        call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        author TEXT NOT NULL CHECK (author IN ('patient', 'assistant', 'staff', 'clinic')),
        body TEXT NOT NULL,
        message_sid TEXT UNIQUE,
        status TEXT NOT NULL,
        error_code TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX sms_messages_call ON sms_messages (call_id, id);
      CREATE TABLE sms_opt_outs (
        phone TEXT PRIMARY KEY,
        keyword TEXT NOT NULL,
        opted_out_at INTEGER NOT NULL
      );
    `);
  },
};
