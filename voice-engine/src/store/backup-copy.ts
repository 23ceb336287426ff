import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { backupsToKeep } from './backup-rotation.js';
import { listBackupFiles } from './backup.js';

export class SecondDestinationError extends Error {}

/** Why a folder cannot take backups, in words for IT, or null when it can. */
export async function secondDestinationProblem(dir: string): Promise<string | null> {
  if (!isAbsolute(dir)) return `The second backup folder must be a full path (got "${dir}").`;
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return `${dir} is not a folder.`;
  } catch {
    return `The second backup folder ${dir} is not available (is the USB drive plugged in, or the network share connected?).`;
  }
  return null;
}

/**
 * Copies a verified backup to the clinic's second destination (a USB drive or a network
 * share) under a temporary name, checks the size, renames it into place, and thins the
 * copies there the same way as at home. Off the event loop: asynchronous file I/O only.
 */
export async function copyToSecondDestination(file: string, dir: string): Promise<string> {
  const problem = await secondDestinationProblem(dir);
  if (problem) throw new SecondDestinationError(problem);
  const target = join(dir, basename(file));
  const partial = `${target}.partial`;
  try {
    await copyFile(file, partial);
    const [from, to] = await Promise.all([stat(file), stat(partial)]);
    if (from.size !== to.size) throw new SecondDestinationError(`The copy in ${dir} is incomplete (${to.size} of ${from.size} bytes).`);
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    if (err instanceof SecondDestinationError) throw err;
    throw new SecondDestinationError(`Could not copy the backup to ${dir}: ${(err as Error).message}`);
  }
  const all = listBackupFiles(dir);
  const keep = backupsToKeep(all.map((b) => b.at));
  await Promise.all(all.filter((b) => !keep.has(b.at)).map((b) => rm(b.file, { force: true })));
  return target;
}
