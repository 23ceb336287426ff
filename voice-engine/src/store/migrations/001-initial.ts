import type { Migration } from './types.js';

/** The call record, what was said on it, what the receptionist did, and what went wrong. */
export const migration001: Migration = {
  version: 1,
  name: 'calls, transcripts, tool calls, system errors, voicemails, settings',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        call_sid TEXT NOT NULL UNIQUE,
        from_number TEXT NOT NULL,
        to_number TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER,
        duration_s INTEGER,
        needs_action INTEGER NOT NULL DEFAULT 0,
        fallback TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX calls_started_at ON calls (started_at DESC);
      CREATE INDEX calls_needs_action ON calls (needs_action) WHERE needs_action = 1;

      CREATE TABLE transcript_lines (
        id INTEGER PRIMARY KEY,
        call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        speaker TEXT NOT NULL CHECK (speaker IN ('caller', 'receptionist')),
        text TEXT NOT NULL,
        interrupted INTEGER NOT NULL DEFAULT 0,
        spoken_at INTEGER NOT NULL
      );
      CREATE INDEX transcript_lines_call ON transcript_lines (call_id, id);

      CREATE TABLE tool_calls (
        id INTEGER PRIMARY KEY,
        call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        model_call_id TEXT NOT NULL,
        name TEXT NOT NULL,
        arguments TEXT NOT NULL,
        result TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'error')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX tool_calls_call ON tool_calls (call_id, id);

      CREATE TABLE system_errors (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
        call_id INTEGER REFERENCES calls (id) ON DELETE SET NULL,
        message TEXT NOT NULL,
        stack TEXT,
        occurred_at INTEGER NOT NULL
      );
      CREATE INDEX system_errors_occurred ON system_errors (occurred_at DESC);

      CREATE TABLE voicemails (
        id INTEGER PRIMARY KEY,
        call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        recording_sid TEXT NOT NULL UNIQUE,
        recording_url TEXT NOT NULL,
        duration_s INTEGER,
        received_at INTEGER NOT NULL,
        resolved_at INTEGER
      );
    `);
  },
};
