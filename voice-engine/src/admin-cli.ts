import { randomInt } from 'node:crypto';
import { databasePath, resolveDataDir } from './config.js';
import { Store } from './store/index.js';
import { AuditTrail } from './accounts/audit-trail.js';
import { hashSecret } from './accounts/secret-hash.js';

/**
 * `npm run admin -- reset [--name "Name"]`: on the PC, for a clinic that has lost its last
 * admin's PIN. Gives an admin account (the named one, the first admin, or a new "Admin") a
 * new random PIN, printed here once, re-enables it, ends its sessions, and audits it all.
 * Whoever can run this can already read the data folder; the audit log says it was used.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] !== 'reset') {
    process.stderr.write('Usage: npm run admin -- reset [--name "Name"]\n');
    process.exit(2);
  }
  const nameAt = args.indexOf('--name');
  const wanted = nameAt >= 0 ? (args[nameAt + 1] ?? '').trim() : '';
  const store = Store.open(databasePath(resolveDataDir(process.env)));
  try {
    const accounts = store.staff.all();
    const now = Date.now();
    let account = wanted ? accounts.find((a) => a.name.toLowerCase() === wanted.toLowerCase()) : (accounts.find((a) => a.role === 'admin' && a.disabledAt === null) ?? accounts.find((a) => a.role === 'admin'));
    const pin = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const hash = await hashSecret(pin);
    if (!account) account = store.staff.create({ name: wanted || 'Admin', role: 'admin', secretKind: 'pin', secretHash: hash }, now);
    store.staff.update(account.id, { name: account.name, role: 'admin', disabledAt: null });
    store.staff.setSecret(account.id, 'pin', hash, now);
    store.staff.endSessionsOf(account.id, now);
    new AuditTrail(store).record({ id: null, name: 'command line' }, 'admin-reset', 'command line on this PC', `account ${account.name}`, 'made admin, enabled, new PIN');
    process.stdout.write(`${account.name} is an admin again. Their new PIN is ${pin}\nSign in with it, then change it in Settings → Accounts.\n`);
  } finally {
    store.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`Not reset: ${err.message}\n`);
  process.exit(1);
});
