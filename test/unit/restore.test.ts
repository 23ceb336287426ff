import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifiedBackup } from '../../voice-engine/src/store/backup.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { eventNamespace } from '../../voice-engine/src/calendar/event-namespace.js';
import { MIGRATIONS, LATEST_SCHEMA_VERSION, migrate } from '../../voice-engine/src/store/migrations/index.js';
import { restoreDatabase, RestoreRefusedError, rowCounts } from '../../voice-engine/src/store/restore.js';

/** A hash of every row of every ordinary table: two databases with the same content hash alike. */
function contentHashes(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, string> = {};
    for (const table of Object.keys(rowCounts(db))) {
      const hash = createHash('sha256');
      for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()) hash.update(JSON.stringify(row));
      out[table] = hash.digest('hex').slice(0, 16);
    }
    return out;
  } finally {
    db.close();
  }
}

function clinicWithCalls(n: number): { dir: string; dbPath: string; store: Store } {
  const dir = mkdtempSync(join(tmpdir(), 'deskline-restore-'));
  const dbPath = join(dir, 'deskline.sqlite');
  const store = Store.open(dbPath);
  for (let i = 0; i < n; i++) {
    const { call } = store.calls.createIfAbsent({ callSid: 'CA' + String(i).padStart(32, '0'), from: '+15550001111', to: '+1', status: 'completed', startedAt: i });
    store.transcripts.append(call.id, 'caller', `I would like an appointment number ${i}`, i);
  }
  return { dir, dbPath, store };
}

describe('restore (npm run restore)', () => {
  it('puts a backup back exactly, keeps the replaced database aside, and reports the counts', async () => {
    const { dir, dbPath, store } = clinicWithCalls(20);
    const namespaceBefore = eventNamespace(store.settings);
    const backup = await createVerifiedBackup(store.db, join(dir, 'backups'), Date.UTC(2026, 10, 1, 9));
    const expected = contentHashes(backup.file);
    const { call } = store.calls.createIfAbsent({ callSid: 'CA' + 'f'.repeat(32), from: '+15550002222', to: '+1', status: 'completed', startedAt: 99 });
    store.transcripts.append(call.id, 'caller', 'said after the backup', 99);
    store.close();

    const report = await restoreDatabase(dbPath, backup.file, Date.UTC(2026, 10, 2, 9));
    expect(report.rows.calls).toBe(20);
    expect(report.rows.transcript_lines).toBe(20);
    expect(report.schemaTo).toBe(LATEST_SCHEMA_VERSION);
    // Everything is as it was, except that Google event ids from now on get a fresh namespace:
    // appointment ids the restored database hands out again must not overwrite later events.
    const { settings: restoredSettings, ...restoredRest } = contentHashes(dbPath);
    const { settings: expectedSettings, ...expectedRest } = expected;
    expect(restoredRest).toEqual(expectedRest);
    expect(restoredSettings).not.toBe(expectedSettings);
    const restored = Store.open(dbPath);
    expect(eventNamespace(restored.settings)).not.toBe(namespaceBefore);
    restored.close();
    // The database it replaced is not lost.
    const safety = new Database(report.safetyCopy!, { readonly: true });
    expect(safety.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(21);
    safety.close();
  });

  it('refuses a damaged backup and changes nothing', async () => {
    const { dir, dbPath, store } = clinicWithCalls(200);
    const backup = await createVerifiedBackup(store.db, join(dir, 'backups'), Date.UTC(2026, 10, 1, 9));
    store.close();
    const before = contentHashes(dbPath);
    const bytes = readFileSync(backup.file);
    bytes.fill(0x5a, 4096 * 2, 4096 * 3); // one page of garbage, as a failing disk leaves it
    writeFileSync(backup.file, bytes);
    await expect(restoreDatabase(dbPath, backup.file)).rejects.toThrow(RestoreRefusedError);
    await expect(restoreDatabase(dbPath, join(dir, 'nothing-here.sqlite'))).rejects.toThrow(/There is no file/);
    expect(contentHashes(dbPath)).toEqual(before);
  });

  it('refuses a backup from a newer Deskline; brings an older one up to date', async () => {
    const { dir, dbPath, store } = clinicWithCalls(3);
    store.close();
    const newer = join(dir, 'newer.sqlite');
    const n = new Database(newer);
    n.exec('CREATE TABLE x (a)');
    n.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    n.close();
    await expect(restoreDatabase(dbPath, newer)).rejects.toThrow(/newer Deskline/);
    const older = join(dir, 'older.sqlite');
    const o = new Database(older);
    migrate(o, MIGRATIONS.slice(0, 3));
    o.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+1', '+2', 'completed', 1, 1)").run();
    o.close();
    const report = await restoreDatabase(dbPath, older);
    expect(report).toMatchObject({ schemaFrom: 3, schemaTo: LATEST_SCHEMA_VERSION, rows: expect.objectContaining({ calls: 1 }) });
  });
});
