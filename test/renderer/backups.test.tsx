// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupRecord } from '../../renderer/src/contract';
import { BackupsSection } from '../../renderer/src/screens/settings/BackupsSection';
import { renderWithEngine } from './helpers';
import { HandlerFailure } from '../../renderer/src/transport/in-memory';

afterEach(cleanup);

describe('Backups in Settings', () => {
  it('says when there is no backup yet, and lists the new one after "Back up now"', async () => {
    const user = userEvent.setup();
    const backups: BackupRecord[] = [];
    const { transport } = renderWithEngine(<BackupsSection />, {
      'backups/list': () => [...backups],
      'backups/run': () => {
        const record = { file: '/data/Deskline/backups/deskline-20261121-120000.sqlite', at: Date.UTC(2026, 10, 21, 12), bytes: 204_800 };
        backups.unshift(record);
        return record;
      },
    });
    expect(await screen.findByText(/No backup yet/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back up now' }));
    const list = await screen.findByRole('list', { name: 'Backups' });
    expect(within(list).getByText(/deskline-20261121-120000\.sqlite/)).toBeTruthy();
    expect(within(list).getByText(/200 KB/)).toBeTruthy();
    expect(transport.callsTo('backups/run')).toHaveLength(1);
  });
});

describe('Restoring a backup from Settings', () => {
  it('asks first, says what will be lost, and reports what came back', async () => {
    const user = userEvent.setup();
    const record: BackupRecord = { file: '/data/Deskline/backups/deskline-20261121-120000.sqlite', at: Date.UTC(2026, 10, 21, 12), bytes: 204_800 };
    const { transport } = renderWithEngine(<BackupsSection />, {
      'backups/list': () => [record],
      'backups/restore': () => ({ restoredFrom: record.file, safetyCopy: '/data/Deskline/backups/before-restore-20261206-120000.sqlite', schemaFrom: 6, schemaTo: 6, rows: { calls: 412, appointments: 37 } }),
    });
    await user.click(await screen.findByRole('button', { name: /^Restore the backup of/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore this backup?' });
    expect(within(dialog).getByText(/Everything recorded after/)).toBeTruthy();
    expect(transport.callsTo('backups/restore')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Restore' }));
    expect(await screen.findByRole('status')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/412 calls, 37 appointments.*before-restore-20261206-120000\.sqlite/);
    expect(transport.callsTo('backups/restore')).toEqual([{ file: record.file }]);
  });
});

describe('Backup settings', () => {
  it('saves how often and the second folder, and shows the engine’s reason when the folder is not there', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<BackupsSection />, {
      'backups/list': () => [],
      'backups/settings': () => ({ everyHours: 1, secondDir: null, encrypt: false }),
      'backups/update-settings': (args: { secondDir?: string | null }) => {
        if (args.secondDir === 'F:\\Backups') throw new HandlerFailure('BAD_REQUEST', 'The second backup folder F:\\Backups is not available (is the USB drive plugged in, or the network share connected?).');
        return { everyHours: 2, secondDir: args.secondDir ?? null, encrypt: false };
      },
    });
    const form = await screen.findByRole('form', { name: 'Backup settings' });
    const hours = within(form).getByLabelText('Back up every (hours)');
    await user.clear(hours);
    await user.type(hours, '2');
    await user.type(within(form).getByLabelText(/Also copy each backup to/), 'F:\\Backups');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText(/is not available \(is the USB drive plugged in/)).toBeTruthy();
    const folder = within(form).getByLabelText(/Also copy each backup to/);
    await user.clear(folder);
    await user.type(folder, 'G:\\Deskline');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('Saved.')).toBeTruthy();
    expect(transport.callsTo('backups/update-settings').at(-1)).toEqual({ everyHours: 2, secondDir: 'G:\\Deskline', encrypt: false });
  });
});

describe('Encrypted backups', () => {
  it('shows the recovery key once, when encryption is turned on, to print and keep', async () => {
    const user = userEvent.setup();
    renderWithEngine(<BackupsSection />, {
      'backups/list': () => [],
      'backups/settings': () => ({ everyHours: 1, secondDir: null, encrypt: false }),
      'backups/update-settings': () => ({ everyHours: 1, secondDir: null, encrypt: true, recoveryKey: 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST' }),
    });
    const form = await screen.findByRole('form', { name: 'Backup settings' });
    await user.click(within(form).getByLabelText('Encrypt backups'));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    const key = await within(form).findByRole('alert');
    expect(key.textContent).toMatch(/will not be shown again/);
    expect(key.textContent).toContain('ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST');
  });
});
