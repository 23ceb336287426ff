import type { Migration } from './types.js';

/**
 * Each call's cost and responsiveness: the Realtime tokens it used, what they and Twilio's
 * minutes cost at the prices in Settings when it ended, every reply time (caller done to the
 * receptionist's first audio) and how often the caller talked over the receptionist.
 */
export const migration013: Migration = {
  version: 13,
  name: 'call figures: tokens, cost, reply times, barge-ins',
  up: (db) => {
    db.exec(`
      CREATE TABLE call_figures (
        call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
        text_in INTEGER NOT NULL DEFAULT 0,
        audio_in INTEGER NOT NULL DEFAULT 0,
        cached_text_in INTEGER NOT NULL DEFAULT 0,
        cached_audio_in INTEGER NOT NULL DEFAULT 0,
        text_out INTEGER NOT NULL DEFAULT 0,
        audio_out INTEGER NOT NULL DEFAULT 0,
        openai_usd REAL NOT NULL DEFAULT 0,
        twilio_usd REAL NOT NULL DEFAULT 0,
        minutes INTEGER NOT NULL DEFAULT 0,
        reply_ms TEXT NOT NULL DEFAULT '[]',
        barge_ins INTEGER NOT NULL DEFAULT 0,
        ended_at INTEGER NOT NULL
      );
      CREATE INDEX call_figures_ended ON call_figures (ended_at);
    `);
  },
};
