import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';
import { greetedCall } from '../harness/conversation.js';

const CLI = resolve(import.meta.dirname, '../../voice-engine/dist/restore-cli.js');

describe('encrypted backups, end to end', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('shows the recovery key once, writes backups nobody can read without it, and restores them in the app and from the command line', async () => {
    rig = await startRig();
    const first = await greetedCall(rig, '+15550661234');
    await first.call.hangup();
    const on = await rig.handler<{ encrypt: boolean; recoveryKey?: string }>('backups/update-settings', { encrypt: true });
    if (!on.ok) throw new Error(on.error.message);
    const recoveryKey = on.value.recoveryKey!;
    expect(recoveryKey).toMatch(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
    // Never shown again, and never stored in plain text.
    const again = await rig.handler<{ recoveryKey?: string }>('backups/update-settings', { encrypt: true });
    expect(again.ok && again.value.recoveryKey).toBeUndefined();
    expect(JSON.stringify(rig.query('SELECT * FROM settings'))).not.toContain(recoveryKey.slice(0, 9));

    const backup = await rig.handler<{ file: string; encrypted?: boolean }>('backups/run');
    if (!backup.ok) throw new Error(backup.error.message);
    expect(backup.value).toMatchObject({ encrypted: true, file: expect.stringMatching(/\.sqlite\.enc$/) });
    const bytes = readFileSync(backup.value.file);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('5550661234'))).toBe(false);

    const later = await greetedCall(rig, '+15550665678');
    await later.call.hangup();
    const restored = await rig.handler<{ rows: Record<string, number> }>('backups/restore', { file: backup.value.file });
    if (!restored.ok) throw new Error(restored.error.message);
    expect(restored.value.rows.calls).toBe(1);

    // With Deskline stopped, on another PC for all it knows: the recovery key opens it.
    await rig.engine.stop();
    const env = { PATH: process.env.PATH, DESKLINE_DATA_DIR: rig.engine.dataDir, DESKLINE_DASHBOARD_PORT: '1' };
    const wrong = spawnSync(process.execPath, [CLI, backup.value.file, '--recovery-key', 'AAAA-'.repeat(12) + 'AAAA'], { encoding: 'utf8', env });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/does not open this backup/);
    const done = spawnSync(process.execPath, [CLI, backup.value.file, '--recovery-key', recoveryKey.toLowerCase()], { encoding: 'utf8', env });
    expect(done.stderr).toBe('');
    expect(done.stdout).toMatch(/^Restored .*\.sqlite\.enc into/);
    expect(done.stdout).toMatch(/  calls: 1/);
  });
});
