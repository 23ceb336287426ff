import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** Where a backup's seal is: the size and time of the file as it was verified. */
function sealPath(file: string): string {
  return `${file}.verified`;
}

/** Marks a backup as verified, as it is now on disk. */
export function sealVerified(file: string): void {
  const st = statSync(file);
  writeFileSync(sealPath(file), JSON.stringify({ size: st.size, mtimeMs: st.mtimeMs }));
}

/** True while the file is exactly as it was when verified. */
function sealIntact(file: string): boolean {
  try {
    const seal = JSON.parse(readFileSync(sealPath(file), 'utf8')) as { size?: number; mtimeMs?: number };
    const st = statSync(file);
    return seal.size === st.size && seal.mtimeMs === st.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * The backups Deskline offers, newest first: only those still exactly as they were when
 * verified. A copy changed since (or never verified) is never offered; restore checks
 * each one again anyway.
 */
export function listBackups(dir: string): BackupRecord[] {
  return listBackupFiles(dir).filter((b) => sealIntact(b.file));
}

/** Deskline's backup files, verified or not, newest first (for rotation and adoption). */
export function listBackupFiles(dir: string): BackupRecord[] {
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
 * meanwhile; the engine does it on the storage thread), then proves the copy opens, passes integrity_check and has the same
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

/** Copies the live database to a file (the engine passes the storage thread's copy). */
export type BackupCopier = (to: string) => Promise<void>;

export async function createVerifiedBackup(
  db: Db, dir: string, now = Date.now(), verify: BackupVerifier = verifyHere, seal?: BackupSealer, copy: BackupCopier = (to) => db.backup(to).then(() => undefined),
): Promise<BackupRecord> {
  mkdirSync(dir, { recursive: true });
  const final = join(dir, `deskline-${stamp(now)}.sqlite`);
  const partial = `${final}.partial`;
  await copy(partial);
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
  sealVerified(seal ? `${final}.enc` : final);
  // Rotation only ever sees verified copies, so it cannot trade the last good one for a bad one.
  const all = listBackups(dir);
  const keep = backupsToKeep(all.map((b) => b.at));
  for (const old of all) {
    if (keep.has(old.at)) continue;
    rmSync(old.file, { force: true });
    rmSync(sealPath(old.file), { force: true });
  }
  const file = seal ? `${final}.enc` : final;
  return { file, at: stampTime(stamp(now)), bytes: statSync(file).size, ...(seal ? { encrypted: true } : {}) };
}

/**
 * Backups written before seals existed (or whose seal was lost) are checked again, one by
 * one, and sealed when they pass; plain files only, since an encrypted one is always
 * sealed when written. Returns how many were sealed.
 */
export async function adoptUnsealed(dir: string, verify: BackupVerifier, latestVersion: number): Promise<number> {
  let sealed = 0;
  for (const b of listBackupFiles(dir)) {
    if (b.encrypted || sealIntact(b.file)) continue;
    const { integrity, userVersion } = await verify(b.file).catch(() => ({ integrity: 'unreadable', userVersion: -1 }));
    if (integrity === 'ok' && userVersion >= 1 && userVersion <= latestVersion) {
      sealVerified(b.file);
      sealed++;
    }
  }
  return sealed;
}
