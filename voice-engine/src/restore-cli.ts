import { resolve } from 'node:path';
import { databasePath, resolveDataDir } from './config.js';
import { restoreDatabase, RestoreRefusedError } from './store/restore.js';

/**
 * `npm run restore -- <backup file>`: for IT, with Deskline stopped. Prints what was
 * restored, where the previous database was put, and the row counts; one line and exit
 * code 2 when the backup is refused.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('Usage: npm run restore -- <backup file>   (quit Deskline first)\n');
    process.exit(2);
  }
  const dbPath = databasePath(resolveDataDir(process.env));
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
  try {
    const report = await restoreDatabase(dbPath, resolve(file));
    process.stdout.write(
      `Restored ${report.restoredFrom} into ${dbPath} (schema ${report.schemaFrom} → ${report.schemaTo}).\n` +
        (report.safetyCopy ? `The database it replaced is kept at ${report.safetyCopy}.\n` : '') +
        Object.entries(report.rows).map(([table, n]) => `  ${table}: ${n}`).join('\n') +
        '\nStart Deskline again.\n',
    );
  } catch (err) {
    if (err instanceof RestoreRefusedError) {
      process.stderr.write(`Not restored: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

main().catch((err: Error) => {
  process.stderr.write(`Restore failed: ${err.message}\n`);
  process.exit(1);
});
