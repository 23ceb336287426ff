import type { Migration } from './types.js';

/**
 * Voicemails kept on the PC: the recording is downloaded into the data folder (and then, as
 * Settings choose, deleted from Twilio), transcribed for the Inbox, and played from the engine.
 */
export const migration014: Migration = {
  version: 14,
  name: 'voicemails on the PC: local file, transcript, fetch state',
  up: (db) => {
    db.exec(`
      ALTER TABLE voicemails ADD COLUMN local_file TEXT;
      ALTER TABLE voicemails ADD COLUMN transcript TEXT;
      ALTER TABLE voicemails ADD COLUMN fetch_state TEXT NOT NULL DEFAULT 'pending';
      ALTER TABLE voicemails ADD COLUMN fetch_detail TEXT;
      ALTER TABLE voicemails ADD COLUMN fetch_attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE voicemails ADD COLUMN removed_from_twilio_at INTEGER;
    `);
  },
};
