import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations/index.js';

export type Db = Database.Database;

/**
 * How a connection waits for the disk. 'full': every commit is synced (synchronous=FULL).
 * 'deferred': commits are not synced on this connection (synchronous=NORMAL in WAL mode,
 * which never corrupts); the engine's event loop uses it, and what must be on disk before
 * anyone is told (a line, a booking) goes through the storage thread's synced commits.
 * A 'deferred' connection never checkpoints either: a checkpoint copies the WAL into the
 * database file and syncs it, so the storage thread does it (after its own commits, and
 * every minute when it is idle).
 */
export type Durability = 'full' | 'deferred';

/**
 * Opens (creating if needed) the clinic's database: WAL so the dashboard can read while
 * calls write, the durability asked for, and foreign keys enforced.
 */
export function openDatabase(path: string, nativeBinding?: string, durability: Durability = 'full'): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    if (durability === 'deferred') db.pragma('wal_autocheckpoint = 0');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
