import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations/index.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the clinic's database with the durability a call record
 * needs: WAL so the dashboard can read while calls write, synchronous=FULL so a line
 * committed is on disk even if the PC loses power, and foreign keys enforced.
 */
export function openDatabase(path: string, nativeBinding?: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
