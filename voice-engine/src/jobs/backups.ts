import { join } from 'node:path';
import type { Logger } from '../log.js';
import { adoptUnsealed, createVerifiedBackup, listBackups, type BackupRecord } from '../store/backup.js';
import { LATEST_SCHEMA_VERSION } from '../store/migrations/index.js';
import { copyToSecondDestination } from '../store/backup-copy.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';
import type { Store } from '../store/index.js';
import type { StorageHealth } from '../health/storage-health.js';
import { KNOWLEDGE_KEYS, type RecordingSettings } from '../clinic/knowledge.js';
import { mirrorRecordings } from '../recording/recording-backups.js';

const HOUR_MS = 60 * 60 * 1000;
const FIRST_CHECK_MS = 60_000;
const CHECK_EVERY_MS = 5 * 60 * 1000;
/** How often a backup is taken, in hours (a clinic setting); hourly unless changed. */
export const BACKUP_INTERVAL_SETTING = 'backups.everyHours';
/** A second folder every backup is also copied to (a USB drive or network share); none unless set. */
export const SECOND_DESTINATION_SETTING = 'backups.secondDir';
/** New backups are encrypted with the clinic's backup key (kept by the secret keeper). */
export const ENCRYPT_SETTING = 'backups.encrypt';

export interface Backups {
  dir: string;
  list(): BackupRecord[];
  runNow(): Promise<BackupRecord>;
  stop(): void;
}

/** A verified backup every hour by default (checked every few minutes, so a PC that slept catches up). */
export function scheduleBackups(store: Store, writer: StorageWriter, dataDir: string, log: Logger, health: StorageHealth, backupKey: () => Buffer | null): Backups {
  const dir = join(dataDir, 'backups');
  let running: Promise<BackupRecord> | null = null;
  const sealer = () => {
    if (!store.settings.get<boolean>(ENCRYPT_SETTING)) return undefined;
    const key = backupKey();
    if (!key) throw new Error('Backups are set to be encrypted, but the backup key is not available (on the desktop it comes from the OS keychain).');
    return (verified: string, to: string) => writer.encrypt(verified, to, key);
  };
  /** Recordings beside the backups, when Settings say so; a problem here is reported, and the database backup still counts. */
  const backUpRecordings = async (dirs: string[], seal: ReturnType<typeof sealer>) => {
    for (const target of dirs) {
      const result = await mirrorRecordings(store, target, seal).catch((err: Error) => ({ copied: 0, removed: 0, failed: [err.message] }));
      if (result.copied + result.removed > 0) log.info(`Recordings in ${target}: ${result.copied} copied, ${result.removed} removed`);
      if (result.failed.length > 0) {
        const message = `Recordings not backed up to ${target}: ${result.failed.slice(0, 3).join('; ')}${result.failed.length > 3 ? ` and ${result.failed.length - 3} more` : ''}`;
        store.systemErrors.record({ type: 'backup_recordings_failed', severity: 'error', message, stack: null, occurredAt: Date.now() });
        log.error(message);
      }
    }
  };
  const runNow = () => {
    running ??= Promise.resolve()
      .then(() => createVerifiedBackup(store.db, dir, Date.now(), (file) => writer.verify(file), sealer(), (to) => writer.copyDatabase(store.db.name, to)))
      .then(async (record) => {
        log.info(`Backup written and verified: ${record.file} (${Math.round(record.bytes / 1024)} KB)`);
        const second = store.settings.get<string>(SECOND_DESTINATION_SETTING);
        if (store.settings.get<Partial<RecordingSettings>>(KNOWLEDGE_KEYS.recording)?.includeInBackups) await backUpRecordings([dir, ...(second ? [second] : [])], sealer());
        if (second) {
          // The backup at home is good either way; a missing USB drive is its own, clear problem.
          const copied = await copyToSecondDestination(record.file, second).catch((err: Error) => err);
          if (copied instanceof Error) {
            store.systemErrors.record({ type: 'backup_copy_failed', severity: 'error', message: copied.message, stack: null, occurredAt: Date.now() });
            log.error(`Backup not copied to the second destination: ${copied.message}`);
            health.ok('backup');
            health.failed('backup-copy', copied.message);
            return record;
          }
        }
        health.ok('backup');
        health.ok('backup-copy');
        return record;
      })
      .catch((err: Error) => {
        store.systemErrors.record({ type: 'backup_failed', severity: 'critical', message: err.message, stack: err.stack ?? null, occurredAt: Date.now() });
        log.error(`Backup failed: ${err.message}`);
        health.failed('backup', err.message);
        throw err;
      })
      .finally(() => (running = null));
    return running;
  };
  // Backups from before seals existed are offered again once checked, in the background.
  const adopt = () =>
    adoptUnsealed(dir, (file) => writer.verify(file), LATEST_SCHEMA_VERSION).then(
      (n) => n > 0 && log.info(`Checked and kept ${n} earlier backup(s)`),
      (err: Error) => log.warn(`Could not check earlier backups: ${err.message}`),
    );
  const dueCheck = () => {
    const newest = listBackups(dir)[0];
    const hours = store.settings.get<number>(BACKUP_INTERVAL_SETTING) ?? 1;
    if (!newest || Date.now() - newest.at >= hours * HOUR_MS) runNow().catch(() => undefined);
  };
  const first = setTimeout(() => {
    adopt().finally(dueCheck).catch(() => undefined);
  }, FIRST_CHECK_MS);
  const hourly = setInterval(dueCheck, CHECK_EVERY_MS);
  first.unref();
  hourly.unref();
  return {
    dir,
    list: () => listBackups(dir),
    runNow,
    stop: () => {
      clearTimeout(first);
      clearInterval(hourly);
    },
  };
}
