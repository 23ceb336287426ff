import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { HandlerError, type HandlerRegistry } from '../api/registry.js';
import type { Logger } from '../log.js';
import type { RestoreView } from '../contract-views.js';
import { listBackups } from '../store/backup.js';
import type { Store } from '../store/index.js';
import type { StoredCall } from '../store/calls.js';
import { restoreLive, RestoreRefusedError, type RestoreThread } from '../store/restore.js';
import { bringBackRecordings } from '../recording/recording-backups.js';

/**
 * Settings → Backups → Restore: only a backup Deskline listed can be restored (never a
 * path typed in), answering is paused for the few seconds it takes (new calls go to the
 * front desk or voicemail), and calls on the line stay on it.
 */
export function registerRestoreHandler(
  registry: HandlerRegistry,
  deps: {
    store: Store;
    dbPath: string;
    backupsDir: () => string;
    pause: (paused: boolean) => void;
    isPaused: () => boolean;
    liveCalls: () => StoredCall[];
    /** Decrypts an encrypted backup into `to` (on the storage thread, with the clinic's key). */
    decrypt: (file: string, to: string) => Promise<void>;
    /** The storage thread, for the checks and copies. */
    thread: RestoreThread;
    /** Where recordings live on this PC: those the backup lists and this PC lacks come back into it. */
    dataDir: string;
    log: Logger;
  },
): void {
  let running = false;
  registry.register('backups/restore', async (args): Promise<RestoreView> => {
    const wanted = resolve(String(args.file ?? ''));
    const backup = listBackups(deps.backupsDir()).find((b) => resolve(b.file) === wanted);
    if (!backup) throw new HandlerError('NOT_FOUND', 'That is not one of Deskline’s backups. Choose one from the list.');
    if (running) throw new HandlerError('BAD_REQUEST', 'A restore is already under way.');
    running = true;
    const wasPaused = deps.isPaused();
    deps.pause(true);
    try {
      const plain = backup.encrypted ? `${backup.file}.restoring` : backup.file;
      if (backup.encrypted) {
        try {
          await deps.decrypt(backup.file, plain);
        } catch (err) {
          rmSync(plain, { force: true });
          throw new HandlerError('BAD_REQUEST', `This backup cannot be opened: ${(err as Error).message}`);
        }
      }
      let report;
      try {
        report = { ...(await restoreLive(deps.store.db, deps.dbPath, plain, deps.thread)), restoredFrom: backup.file };
      } finally {
        if (backup.encrypted) rmSync(plain, { force: true });
      }
      // Calls on the line began after the backup point: their records come back under their own ids.
      for (const call of deps.liveCalls()) deps.store.calls.reinstate(call, Date.now());
      const recordings = await bringBackRecordings(deps.store, deps.backupsDir(), deps.dataDir, deps.decrypt).catch((err: Error) => {
        deps.log.error(`Recordings not brought back: ${err.message}`);
        return null;
      });
      if (recordings && recordings.restored + recordings.missing > 0) deps.log.info(`Recordings: ${recordings.restored} brought back from the backup folder, ${recordings.missing} not there`);
      deps.log.warn(`Restored ${backup.file}; the database it replaced is at ${report.safetyCopy}`);
      deps.store.systemErrors.record({ type: 'database_restored', severity: 'info', message: `Restored ${backup.file}; previous database kept at ${report.safetyCopy}`, stack: null, occurredAt: Date.now() });
      return report;
    } catch (err) {
      if (err instanceof RestoreRefusedError) throw new HandlerError('BAD_REQUEST', err.message);
      throw err;
    } finally {
      running = false;
      if (!wasPaused) deps.pause(false);
    }
  });
}
