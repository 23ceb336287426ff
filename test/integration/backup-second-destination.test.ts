import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';

describe('a second backup destination (a USB drive or network share)', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('copies each verified backup there, and says clearly when the drive is missing', async () => {
    rig = await startRig();
    const usb = mkdtempSync(join(tmpdir(), 'deskline-usb-'));
    expect(await rig.handler('backups/update-settings', { secondDir: join(usb, 'not-plugged-in') })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/is not available \(is the USB drive plugged in/) },
    });
    expect(await rig.handler('backups/update-settings', { secondDir: 'relative/folder' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/full path/) } });
    expect(await rig.handler('backups/update-settings', { secondDir: usb, everyHours: 4 })).toEqual({ ok: true, value: { everyHours: 4, secondDir: usb, encrypt: false } });

    const first = await rig.handler<{ file: string }>('backups/run');
    if (!first.ok) throw new Error(first.error.message);
    expect(readdirSync(usb)).toEqual([basename(first.value.file)]);

    rmSync(usb, { recursive: true }); // the drive is unplugged
    const second = await rig.handler<{ file: string }>('backups/run');
    expect(second.ok).toBe(true); // the backup at home is still made and verified
    if (second.ok) expect(existsSync(second.value.file)).toBe(true);
    const status = await rig.handler<{ storageProblem: string | null }>('status/get');
    expect(status.ok && status.value.storageProblem).toMatch(/^The last backup is safe on this PC but was not copied to the second folder: The second backup folder .* is not available/);
    expect(rig.query<{ type: string }>("SELECT type FROM system_errors WHERE type = 'backup_copy_failed'")).toHaveLength(1);
  });
});
