import type { Migration } from './types.js';

/**
 * Call-log search that stays fast at 100,000 calls: one full-text document per call
 * (rowid = call id), so "newest calls mentioning X" walks the index newest-first and
 * stops at the page size instead of mapping every matching line back to its call; and
 * an indexed last-four-digits column for the caller filter staff actually type.
 */
export const migration004: Migration = {
  version: 4,
  name: 'per-call transcript search and caller last-four index',
  up: (db) => {
    db.exec(`
      DROP TRIGGER transcript_fts_insert;
      DROP TRIGGER transcript_fts_delete;
      DROP TRIGGER transcript_fts_update;
      DROP TABLE transcript_fts;

      CREATE VIRTUAL TABLE call_fts USING fts5(
        text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO call_fts (rowid, text)
        SELECT call_id, group_concat(text, ' ') FROM transcript_lines GROUP BY call_id;

      CREATE TRIGGER call_fts_line_insert AFTER INSERT ON transcript_lines BEGIN
        DELETE FROM call_fts WHERE rowid = new.call_id;
        INSERT INTO call_fts (rowid, text)
          SELECT new.call_id, group_concat(text, ' ') FROM transcript_lines WHERE call_id = new.call_id;
      END;
      CREATE TRIGGER call_fts_line_delete AFTER DELETE ON transcript_lines BEGIN
        DELETE FROM call_fts WHERE rowid = old.call_id;
        INSERT INTO call_fts (rowid, text)
          SELECT old.call_id, group_concat(text, ' ') FROM transcript_lines WHERE call_id = old.call_id HAVING count(*) > 0;
      END;
      CREATE TRIGGER call_fts_line_update AFTER UPDATE OF text ON transcript_lines BEGIN
        DELETE FROM call_fts WHERE rowid = new.call_id;
        INSERT INTO call_fts (rowid, text)
          SELECT new.call_id, group_concat(text, ' ') FROM transcript_lines WHERE call_id = new.call_id;
      END;

      ALTER TABLE calls ADD COLUMN from_last4 TEXT GENERATED ALWAYS AS (substr(from_number, -4)) VIRTUAL;
      -- Every call-log query filters on archived too; indexes that cover both equalities
      -- are the ones the planner picks, and they hand rows back newest first.
      CREATE INDEX calls_last4_archived ON calls (from_last4, archived, id DESC);
      DROP INDEX calls_outcome_id;
      CREATE INDEX calls_archived_outcome ON calls (archived, outcome, id DESC);
    `);
  },
};
