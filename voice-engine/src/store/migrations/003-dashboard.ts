import type { Migration } from './types.js';

/**
 * What the front-desk screen needs: archiving, who resolved what, indexes for the call
 * log's filters, and full-text search over transcripts kept in step by triggers.
 */
export const migration003: Migration = {
  version: 3,
  name: 'call archive and resolution, voicemail resolution, call log indexes, transcript full-text search',
  up: (db) => {
    db.exec(`
      ALTER TABLE calls ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE calls ADD COLUMN action_resolved_at INTEGER;
      ALTER TABLE calls ADD COLUMN action_resolved_by TEXT;
      ALTER TABLE voicemails ADD COLUMN resolved_by TEXT;

      CREATE INDEX calls_archived_id ON calls (archived, id DESC);
      CREATE INDEX calls_outcome_id ON calls (outcome, id DESC);
      CREATE INDEX calls_from_number ON calls (from_number);

      CREATE VIRTUAL TABLE transcript_fts USING fts5(
        text, content = 'transcript_lines', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO transcript_fts (rowid, text) SELECT id, text FROM transcript_lines;
      CREATE TRIGGER transcript_fts_insert AFTER INSERT ON transcript_lines BEGIN
        INSERT INTO transcript_fts (rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER transcript_fts_delete AFTER DELETE ON transcript_lines BEGIN
        INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER transcript_fts_update AFTER UPDATE OF text ON transcript_lines BEGIN
        INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO transcript_fts (rowid, text) VALUES (new.id, new.text);
      END;
    `);
  },
};
