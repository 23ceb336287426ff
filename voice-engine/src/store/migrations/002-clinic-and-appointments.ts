import type { Migration } from './types.js';

/** What the receptionist knows about the clinic, who its patients are, and what is booked. */
export const migration002: Migration = {
  version: 2,
  name: 'providers, services, closures, FAQs, patients, appointments, messages, call outcome',
  up: (db) => {
    db.exec(`
      CREATE TABLE providers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        hours TEXT NOT NULL DEFAULT '{}',
        calendar_id TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE services (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        duration_min INTEGER NOT NULL CHECK (duration_min > 0),
        buffer_after_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_min >= 0),
        price_cents INTEGER CHECK (price_cents IS NULL OR price_cents >= 0),
        price_from INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE service_providers (
        service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
        provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        PRIMARY KEY (service_id, provider_id)
      );

      CREATE TABLE closures (
        id INTEGER PRIMARY KEY,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        CHECK (end_date >= start_date)
      );

      CREATE TABLE faqs (
        id INTEGER PRIMARY KEY,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT NOT NULL,
        date_of_birth TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX patients_phone ON patients (phone);

      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients (id),
        provider_id INTEGER NOT NULL REFERENCES providers (id),
        service_id INTEGER NOT NULL REFERENCES services (id),
        start_at INTEGER NOT NULL,
        end_at INTEGER NOT NULL,
        block_end_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
        external_event_id TEXT,
        booked_by_call_id INTEGER REFERENCES calls (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (end_at > start_at AND block_end_at >= end_at)
      );
      CREATE INDEX appointments_provider_start ON appointments (provider_id, start_at) WHERE status = 'booked';
      CREATE INDEX appointments_patient ON appointments (patient_id, start_at);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        call_id INTEGER REFERENCES calls (id) ON DELETE SET NULL,
        caller_name TEXT,
        callback_number TEXT NOT NULL,
        reason TEXT NOT NULL,
        urgency TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'urgent')),
        created_at INTEGER NOT NULL,
        resolved_at INTEGER,
        resolved_by TEXT
      );
      CREATE INDEX messages_open ON messages (created_at) WHERE resolved_at IS NULL;

      ALTER TABLE calls ADD COLUMN outcome TEXT;
    `);
  },
};
