import Database from 'better-sqlite3';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptUnsealed, createVerifiedBackup, listBackups, verifyHere } from '../../voice-engine/src/store/backup.js';
import { LATEST_SCHEMA_VERSION } from '../../voice-engine/src/store/migrations/index.js';
import { backupsToKeep } from '../../voice-engine/src/store/backup-rotation.js';
import { Store } from '../../voice-engine/src/store/index.js';

describe('backups', () => {
  it('writes a verified copy that restores the calls, thinning older copies by hour, day and month', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-backup-'));
    const store = Store.open(join(dir, 'deskline.sqlite'));
    store.calls.createIfAbsent({ callSid: 'CA' + '3'.repeat(32), from: '+15550003333', to: '+1', status: 'completed', startedAt: 1 });
    const backups = join(dir, 'backups');
    // Two a day for 20 days: the 24 newest (12 days), plus the newest of 2 more days to make 14 days.
    for (let i = 0; i < 40; i++) await createVerifiedBackup(store.db, backups, Date.UTC(2026, 9, 1 + Math.floor(i / 2), 8 + (i % 2) * 6));
    const kept = listBackups(backups);
    expect(kept).toHaveLength(26);
    expect(new Set(kept.map((k) => new Date(k.at).toISOString().slice(0, 10))).size).toBe(14);
    expect(kept.at(-1)!.at).toBe(Date.UTC(2026, 9, 7, 14));
    expect(readdirSync(backups).some((n) => n.endsWith('.partial'))).toBe(false);
    const restored = new Database(kept[0]!.file, { readonly: true });
    expect(restored.prepare('SELECT call_sid FROM calls').pluck().all()).toEqual(['CA' + '3'.repeat(32)]);
    restored.close();
    store.close();
  });

  it('ignores files that are not its backups', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-backup-'));
    writeFileSync(join(dir, 'notes.txt'), 'x');
    writeFileSync(join(dir, 'deskline-20261121-120000.sqlite.partial'), 'x');
    expect(listBackups(dir)).toEqual([]);
  });

  it('keeps the newest in each of 24 hours, 14 days and 12 months', () => {
    const H = 3_600_000;
    const start = Date.UTC(2025, 0, 1);
    const hourly = Array.from({ length: 24 * 400 }, (_, i) => start + i * H);
    const keep = backupsToKeep(hourly);
    const newest = hourly.at(-1)!;
    // Newest is 4 Feb 2026 23:00: its 24 hours, 13 more days back to 22 Jan, and the months
    // back to March 2025 (February and January are already covered by those days).
    expect(new Date(newest).toISOString()).toBe('2026-02-04T23:00:00.000Z');
    expect(keep.has(newest)).toBe(true);
    expect(keep.size).toBe(24 + 13 + 10);
    expect(new Date(Math.min(...keep)).toISOString()).toBe('2025-03-31T23:00:00.000Z');
  });

  it('never offers a backup changed since it was verified; earlier unsealed ones are offered once they check out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-backup-'));
    const store = Store.open(join(dir, 'deskline.sqlite'));
    const backups = join(dir, 'backups');
    const good = await createVerifiedBackup(store.db, backups, Date.UTC(2026, 10, 20, 9));
    const damaged = await createVerifiedBackup(store.db, backups, Date.UTC(2026, 10, 21, 9));
    store.close();
    expect(listBackups(backups).map((b) => b.file)).toEqual([damaged.file, good.file]);
    appendFileSync(damaged.file, Buffer.alloc(4096, 0x5a)); // a failing disk, a stray copy over it
    expect(listBackups(backups).map((b) => b.file)).toEqual([good.file]);
    // A backup from before seals existed: offered again once checked on the storage thread.
    rmSync(`${good.file}.verified`);
    expect(listBackups(backups)).toEqual([]);
    writeFileSync(damaged.file, Buffer.alloc(8192, 0x11)); // not a database at all now
    expect(await adoptUnsealed(backups, verifyHere, LATEST_SCHEMA_VERSION)).toBe(1);
    expect(listBackups(backups).map((b) => b.file)).toEqual([good.file]);
  });
});
