import type { BackupSettingsView } from '../contract-views.js';
import { BACKUP_INTERVAL_SETTING, ENCRYPT_SETTING, SECOND_DESTINATION_SETTING } from '../jobs/backups.js';
import { randomBytes } from 'node:crypto';
import { recoveryKeyText } from '../store/backup-crypto.js';
import type { SecretKeeper } from '../secrets/keeper.js';
import { secondDestinationProblem } from '../store/backup-copy.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

/** Settings → Backups: how often, and a second folder (checked when it is set, so a typo is caught then). */
export function registerBackupSettingsHandlers(registry: HandlerRegistry, store: Store, keeper: SecretKeeper): void {
  const view = (): BackupSettingsView => ({
    everyHours: store.settings.get<number>(BACKUP_INTERVAL_SETTING) ?? 1,
    secondDir: store.settings.get<string>(SECOND_DESTINATION_SETTING) || null,
    encrypt: store.settings.get<boolean>(ENCRYPT_SETTING) === true,
  });
  registry.register('backups/settings', () => view());
  registry.register('backups/update-settings', async (args) => {
    let hours: number | undefined;
    if (args.everyHours !== undefined) {
      if (!Number.isInteger(args.everyHours) || args.everyHours < 1 || args.everyHours > 24) {
        throw new HandlerError('BAD_REQUEST', 'Back up every (hours) must be a whole number from 1 to 24.');
      }
      hours = args.everyHours;
    }
    let second: string | null | undefined;
    if (args.secondDir !== undefined) {
      second = typeof args.secondDir === 'string' && args.secondDir.trim() !== '' ? args.secondDir.trim() : null;
      const problem = second === null ? null : await secondDestinationProblem(second);
      if (problem) throw new HandlerError('BAD_REQUEST', problem);
    }
    if (hours !== undefined) store.settings.set(BACKUP_INTERVAL_SETTING, hours);
    if (second !== undefined) store.settings.set(SECOND_DESTINATION_SETTING, second ?? '');
    let recoveryKey: string | undefined;
    if (args.encrypt === true && !keeper.load('backupKey')) {
      // The key is made once and kept by the secret keeper (OS keychain on the desktop); IT
      // sees it this one time, to print, since a backup cannot be read without it.
      const key = randomBytes(32);
      keeper.save('backupKey', key.toString('hex'));
      recoveryKey = recoveryKeyText(key);
    }
    if (args.encrypt !== undefined) store.settings.set(ENCRYPT_SETTING, args.encrypt === true);
    return { ...view(), ...(recoveryKey ? { recoveryKey } : {}) };
  });
}
