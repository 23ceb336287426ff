import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { renewEventNamespace } from '../calendar/event-namespace.js';
import { openDatabase, type Db } from './db.js';
import { migrate } from './migrations/index.js';
import { SettingsStore } from './settings.js';
import { rowCounts, restoreRefusal, type DatabaseCheck } from './database-check.js';

export { rowCounts };

export class RestoreRefusedError extends Error {}

export interface RestoreReport {
  restoredFrom: string;
  /** The database as it was before the restore, kept in case the wrong backup was chosen. */
  safetyCopy: string | null;
  schemaFrom: number;
  schemaTo: number;
  /** Rows per table in the restored database. */
  rows: Record<string, number>;
}

/** Proves a backup whole before anything is touched: opens, passes integrity_check, is not from a newer Deskline. */
function checkBackup(file: string): number {
  if (!existsSync(file)) throw new RestoreRefusedError(`There is no file at ${file}.`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new RestoreRefusedError(`${basename(file)} is not a Deskline database: ${(err as Error).message}`);
  }
  try {
    const check = { integrity: String(db.pragma('integrity_check', { simple: true })), userVersion: Number(db.pragma('user_version', { simple: true })) };
    const refusal = restoreRefusal(basename(file), check);
    if (refusal) throw new RestoreRefusedError(refusal);
    return check.userVersion;
  } catch (err) {
    if (err instanceof RestoreRefusedError) throw err;
    throw new RestoreRefusedError(`${basename(file)} cannot be read: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * Puts a backup in place of the clinic's database, with Deskline stopped: the backup is
 * checked first, the current database is copied aside, the backup is copied in under a
 * temporary name, synced and renamed over, and opened so that an older backup is brought
 * up to this version by the migrations. Refused, with nothing changed, when the backup is
 * damaged or from a newer Deskline.
 */
export async function restoreDatabase(dbPath: string, backupFile: string, now = Date.now()): Promise<RestoreReport> {
  const schemaFrom = checkBackup(backupFile);
  let safetyCopy: string | null = null;
  if (existsSync(dbPath)) {
    const dir = join(dirname(dbPath), 'backups');
    mkdirSync(dir, { recursive: true });
    safetyCopy = join(dir, `before-restore-${stamp(now)}.sqlite`);
    const current = new Database(dbPath, { fileMustExist: true });
    try {
      await current.backup(safetyCopy);
      // Folds the WAL into the file, so no -wal of the old database outlives the swap.
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
  }
  const incoming = `${dbPath}.restoring`;
  copyFileSync(backupFile, incoming);
  const fd = openSync(incoming, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(incoming, dbPath);
  const db = openDatabase(dbPath);
  try {
    // New Google event ids from here on, so re-used appointment ids never hit events made after the backup.
    renewEventNamespace(new SettingsStore(db));
    return { restoredFrom: backupFile, safetyCopy, schemaFrom, schemaTo: Number(db.pragma('user_version', { simple: true })), rows: rowCounts(db) };
  } finally {
    db.close();
  }
}

/** What a live restore needs from the storage thread, so nothing slow runs on the event loop. */
export interface RestoreThread {
  verify(file: string): Promise<DatabaseCheck>;
  copyDatabase(from: string, to: string): Promise<void>;
}

/**
 * Puts a backup back while the engine runs: checked first, the current database copied
 * aside, then SQLite's online backup writes the backup's pages into the live database
 * (every connection sees the restored content at once), and an older backup is migrated.
 * The checks and copies run on the storage thread, so calls' audio never waits on them.
 * Calls on the line carry on; what they say after the restore point is not in the backup.
 */
export async function restoreLive(db: Db, dbPath: string, backupFile: string, thread: RestoreThread, now = Date.now()): Promise<RestoreReport> {
  const name = basename(backupFile);
  const check = await thread.verify(backupFile).catch((err: Error) => {
    throw new RestoreRefusedError(`${name} cannot be read: ${err.message}`);
  });
  const refusal = restoreRefusal(name, check);
  if (refusal) throw new RestoreRefusedError(refusal);
  const dir = join(dirname(dbPath), 'backups');
  mkdirSync(dir, { recursive: true });
  const safetyCopy = join(dir, `before-restore-${stamp(now)}.sqlite`);
  await thread.copyDatabase(dbPath, safetyCopy);
  await thread.copyDatabase(backupFile, dbPath);
  migrate(db);
  renewEventNamespace(new SettingsStore(db));
  return { restoredFrom: backupFile, safetyCopy, schemaFrom: check.userVersion, schemaTo: Number(db.pragma('user_version', { simple: true })), rows: check.rows };
}
