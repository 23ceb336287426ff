import type { Migration } from './types.js';

/**
 * What each conversation leaves for the front desk: a summary, the caller's intent, their
 * sentiment and satisfaction, and whether it needs following up, made after it ends. Its
 * state says when it could not be made; no value is ever filled in for a failed one.
 */
export const migration012: Migration = {
  version: 12,
  name: 'after-call summaries',
  up: (db) => {
    db.exec(`
      CREATE TABLE call_summaries (
        call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
        summary TEXT,
        intent TEXT,
        sentiment TEXT,
        satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 10),
        follow_up INTEGER,
        follow_up_reason TEXT,
        detail TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX call_summaries_pending ON call_summaries (state) WHERE state = 'pending';
    `);
  },
};
