import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { recordingFile } from './call-recorder.js';

/** Copies one file into another place: a plain copy, or the backup key's encryption. */
export type FileCopier = (from: string, to: string) => Promise<void>;

const plainCopy: FileCopier = (from, to) => copyFile(from, to);

/**
 * Settings → Recording → "include in backups": every finished recording is kept beside the
 * backups too (in `recordings/`, encrypted with the backup key when backups are), once, since
 * a finished recording never changes; a recording retention has deleted leaves the backup too.
 */
export async function mirrorRecordings(store: Store, backupDir: string, seal?: FileCopier): Promise<{ copied: number; removed: number; failed: string[] }> {
  const target = join(backupDir, 'recordings');
  await mkdir(target, { recursive: true });
  const wanted = new Set<string>();
  const failed: string[] = [];
  let copied = 0;
  for (const r of store.recordings.all()) {
    if (r.finishedAt === null) continue; // still being written
    const name = `${r.callId}.wav${seal ? '.enc' : ''}`;
    wanted.add(name);
    const dest = join(target, name);
    if (existsSync(dest)) continue;
    try {
      await (seal ?? plainCopy)(r.file, `${dest}.partial`);
      await rename(`${dest}.partial`, dest);
      copied++;
    } catch (err) {
      await rm(`${dest}.partial`, { force: true });
      failed.push(`call ${r.callId}: ${(err as Error).message}`);
    }
  }
  let removed = 0;
  for (const name of await readdir(target)) {
    if (wanted.has(name) || name.endsWith('.partial')) continue;
    await rm(join(target, name), { force: true });
    removed++;
  }
  return { copied, removed, failed };
}

/**
 * After a restore: every recording the restored database lists and this PC lacks is put back
 * from beside the backup (decrypted with `open` when it was encrypted) into this data folder.
 */
export async function bringBackRecordings(store: Store, backupDir: string, dataDir: string, open: FileCopier): Promise<{ restored: number; missing: number }> {
  let restored = 0;
  let missing = 0;
  for (const r of store.recordings.all()) {
    const here = recordingFile(dataDir, r.callId);
    if (existsSync(here)) {
      if (r.file !== here) store.recordings.moved(r.callId, here);
      continue;
    }
    const plain = join(backupDir, 'recordings', `${r.callId}.wav`);
    const sealed = `${plain}.enc`;
    const from = existsSync(sealed) ? sealed : existsSync(plain) ? plain : null;
    if (!from) {
      if (!existsSync(r.file)) missing++;
      continue;
    }
    await mkdir(join(dataDir, 'recordings'), { recursive: true });
    await (from === sealed ? open : plainCopy)(from, `${here}.partial`);
    await rename(`${here}.partial`, here);
    store.recordings.moved(r.callId, here);
    restored++;
  }
  return { restored, missing };
}
