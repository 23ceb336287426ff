import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifiedBackup, listBackups } from '../../voice-engine/src/store/backup.js';
import { Store } from '../../voice-engine/src/store/index.js';

describe('backups', () => {
  it('writes a verified copy that restores the calls, and keeps only the newest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-backup-'));
    const store = Store.open(join(dir, 'deskline.sqlite'));
    store.calls.createIfAbsent({ callSid: 'CA' + '3'.repeat(32), from: '+15550003333', to: '+1', status: 'completed', startedAt: 1 });
    const backups = join(dir, 'backups');
    for (let i = 0; i < 4; i++) await createVerifiedBackup(store.db, backups, 3, Date.UTC(2026, 10, 20 + i, 12));
    const kept = listBackups(backups);
    expect(kept).toHaveLength(3);
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
});
