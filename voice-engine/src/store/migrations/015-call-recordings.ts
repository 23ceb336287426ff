import type { Migration } from './types.js';

/**
 * Call recordings (off unless the clinic turns them on): one stereo WAV per call in the data
 * folder, the caller on the left and the receptionist as heard on the right. The row is
 * written when recording starts, so a file left by a crash is still found and purged.
 */
export const migration015: Migration = {
  version: 15,
  name: 'call recordings',
  up: (db) => {
    db.exec(`
      CREATE TABLE call_recordings (
        call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX call_recordings_started ON call_recordings (started_at);
    `);
  },
};
