import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { databasePath, resolveDataDir } from './config.js';
import { BackupKeyError, decryptFile, isEncryptedBackup, parseRecoveryKey } from './store/backup-crypto.js';
import { restoreDatabase, RestoreRefusedError } from './store/restore.js';
import { SettingsStore } from './store/settings.js';
import { Store } from './store/index.js';
import { bringBackRecordings } from './recording/recording-backups.js';
import { SealedSettingsKeeper } from './secrets/keeper.js';
import { FileKeyProvider, SecretVault } from './secrets/vault.js';

/**
 * The key for an encrypted backup: the recovery key IT typed, or (headless) the one this
 * PC keeps sealed in its database. On the desktop the key is in the OS keychain, which this
 * command cannot reach: use the recovery key printed when encryption was turned on.
 */
function backupKey(dataDir: string, dbPath: string, typed: string | undefined): Buffer {
  if (typed) return parseRecoveryKey(typed);
  if (existsSync(dbPath)) {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const hex = new SealedSettingsKeeper(new SettingsStore(db), new SecretVault(new FileKeyProvider(dataDir))).load('backupKey');
      if (hex) return Buffer.from(hex, 'hex');
    } catch {
      // fall through to the message below
    } finally {
      db.close();
    }
  }
  throw new BackupKeyError('This backup is encrypted. Give the recovery key: npm run restore -- <backup file> --recovery-key XXXX-XXXX-…');
}

/**
 * `npm run restore -- <backup file>`: for IT, with Deskline stopped. Prints what was
 * restored, where the previous database was put, and the row counts; one line and exit
 * code 2 when the backup is refused.
 */
/** Recordings kept beside the backups (Settings → Recording) come back into this data folder. */
async function putRecordingsBack(dataDir: string, dbPath: string, backupDir: string, typedKey: string | undefined): Promise<{ restored: number; missing: number }> {
  const store = Store.open(dbPath);
  try {
    let key: Buffer | undefined;
    return await bringBackRecordings(store, backupDir, dataDir, async (from, to) => decryptFile(from, to, (key ??= backupKey(dataDir, dbPath, typedKey))));
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keyAt = args.indexOf('--recovery-key');
  const typedKey = keyAt >= 0 ? args.splice(keyAt, 2)[1] : undefined;
  const file = args[0];
  if (!file) {
    process.stderr.write('Usage: npm run restore -- <backup file> [--recovery-key XXXX-XXXX-…]   (quit Deskline first)\n');
    process.exit(2);
  }
  const dataDir = resolveDataDir(process.env);
  const dbPath = databasePath(dataDir);
  // Swapping the file under a running engine would lose what it writes next.
  const port = Number(process.env.DESKLINE_DASHBOARD_PORT || 8081);
  const running = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1000) }).then(
    (res) => res.ok,
    () => false,
  );
  if (running) {
    process.stderr.write(`Not restored: Deskline is running (it answers on 127.0.0.1:${port}). Quit it first, then run this again.\n`);
    process.exit(2);
  }
  const source = resolve(file);
  let plain = source;
  try {
    if (existsSync(source) && isEncryptedBackup(source)) {
      plain = `${dbPath}.decrypted`;
      decryptFile(source, plain, backupKey(dataDir, dbPath, typedKey));
    }
    const report = { ...(await restoreDatabase(dbPath, plain)), restoredFrom: source };
    const recordings = await putRecordingsBack(dataDir, dbPath, dirname(source), typedKey);
    process.stdout.write(
      `Restored ${report.restoredFrom} into ${dbPath} (schema ${report.schemaFrom} → ${report.schemaTo}).\n` +
        (report.safetyCopy ? `The database it replaced is kept at ${report.safetyCopy}.\n` : '') +
        Object.entries(report.rows).map(([table, n]) => `  ${table}: ${n}`).join('\n') +
        (recordings.restored + recordings.missing > 0 ? `\nRecordings: ${recordings.restored} put back from ${join(dirname(source), 'recordings')}, ${recordings.missing} not found there.` : '') +
        '\nStart Deskline again.\n',
    );
  } catch (err) {
    if (err instanceof RestoreRefusedError || err instanceof BackupKeyError) {
      process.stderr.write(`Not restored: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  } finally {
    if (plain !== source) rmSync(plain, { force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`Restore failed: ${err.message}\n`);
  process.exit(1);
});
