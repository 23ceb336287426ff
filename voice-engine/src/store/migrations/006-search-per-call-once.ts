import type { Migration } from './types.js';

/**
 * Transcript search at a constant cost per line. Migration 4 rebuilt a call's whole
 * full-text document on every line, so each line cost more than the one before it and
 * the retention purge was quadratic per call. Now a line only marks its call as
 * pending (O(1)); the call's document is written once, when the call ends (or by the
 * background job for calls a crash left open). Search finds pending calls by their lines
 * directly: there are only ever a few.
 */
export const migration006: Migration = {
  version: 6,
  name: 'call search document written once per call',
  up: (db) => {
    db.exec(`
      DROP TRIGGER call_fts_line_insert;
      DROP TRIGGER call_fts_line_delete;

      CREATE TABLE call_fts_pending (call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE);

      CREATE TRIGGER call_fts_line_insert AFTER INSERT ON transcript_lines BEGIN
        INSERT OR IGNORE INTO call_fts_pending (call_id) VALUES (new.call_id);
      END;
      -- Lines are only deleted a whole call at a time (retention): the document goes with them.
      CREATE TRIGGER call_fts_line_delete AFTER DELETE ON transcript_lines BEGIN
        DELETE FROM call_fts WHERE rowid = old.call_id;
      END;
    `);
  },
};
