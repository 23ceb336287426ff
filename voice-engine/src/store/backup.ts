import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.js';
import { backupsToKeep } from './backup-rotation.js';

import type { BackupRecord } from '../contract-views.js';

export type { BackupRecord };

const NAME = /^deskline-(\d{8}-\d{6})\.sqlite(\.enc)?$/;

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The moment a backup was taken, read back from its name (UTC, to the second). */
function stampTime(text: string): number {
  return Date.UTC(+text.slice(0, 4), +text.slice(4, 6) - 1, +text.slice(6, 8), +text.slice(9, 11), +text.slice(11, 13), +text.slice(13, 15));
}

/** The backups on disk, newest first. */
export function listBackups(dir: string): BackupRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((n) => {
      const match = NAME.exec(n);
      return match ? [{ file: join(dir, n), at: stampTime(match[1]!), bytes: statSync(join(dir, n)).size, ...(match[2] ? { encrypted: true } : {}) }] : [];
    })
    .sort((a, b) => b.at - a.at);
}

/**
 * Copies the live database with SQLite's online backup (calls keep being written
 * meanwhile), then proves the copy opens, passes integrity_check and has the same
 * schema version before it counts. Only verified copies keep the backup name; older
 * ones are thinned to 24 hourly, 14 daily and 12 monthly (backup-rotation.ts).
 */
export type BackupVerifier = (file: string) => Promise<{ integrity: string; userVersion: number }>;

/** Checks a copy on the calling thread; the engine passes the storage thread's verifier instead. */
export const verifyHere: BackupVerifier = async (file) => {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return { integrity: String(copy.pragma('integrity_check', { simple: true })), userVersion: Number(copy.pragma('user_version', { simple: true })) };
  } finally {
    copy.close();
  }
};

/** Encrypts the verified copy into its final file (the storage thread's AES-256-GCM). */
export type BackupSealer = (verified: string, to: string) => Promise<void>;

export async function createVerifiedBackup(db: Db, dir: string, now = Date.now(), verify: BackupVerifier = verifyHere, seal?: BackupSealer): Promise<BackupRecord> {
  mkdirSync(dir, { recursive: true });
  const final = join(dir, `deskline-${stamp(now)}.sqlite`);
  const partial = `${final}.partial`;
  await db.backup(partial);
  try {
    const { integrity, userVersion } = await verify(partial);
    if (integrity !== 'ok') throw new Error(`backup failed its integrity check: ${integrity}`);
    if (userVersion !== db.pragma('user_version', { simple: true })) throw new Error('backup has a different schema version than the database');
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  if (seal) {
    const encrypted = `${final}.enc`;
    try {
      await seal(partial, `${encrypted}.partial`);
      renameSync(`${encrypted}.partial`, encrypted);
    } finally {
      rmSync(partial, { force: true });
      rmSync(`${encrypted}.partial`, { force: true });
    }
  } else {
    renameSync(partial, final);
  }
  // Rotation only ever sees verified copies, so it cannot trade the last good one for a bad one.
  const all = listBackups(dir);
  const keep = backupsToKeep(all.map((b) => b.at));
  for (const old of all) if (!keep.has(old.at)) rmSync(old.file, { force: true });
  const file = seal ? `${final}.enc` : final;
  return { file, at: stampTime(stamp(now)), bytes: statSync(file).size, ...(seal ? { encrypted: true } : {}) };
}
