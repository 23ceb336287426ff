// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntryView } from '../../renderer/src/contract';
import { LogsScreen } from '../../renderer/src/screens/logs/LogsScreen';
import { SettingsScreen } from '../../renderer/src/screens/settings/SettingsScreen';
import { renderWithEngine } from './helpers';

afterEach(cleanup);

const entry = (id: number, overrides: Partial<AuditEntryView> = {}): AuditEntryView => ({ id, at: Date.UTC(2026, 11, 7, 15, id), actor: 'Ana Desk', action: 'view-transcript', target: `call ${id}`, detail: null, origin: 'desktop window', ...overrides });

describe('the audit log on the Logs screen', () => {
  it('lists who did what, filters by person, says when the chain is broken, and exports', async () => {
    const user = userEvent.setup();
    const exported = vi.fn(() => ({ filename: 'deskline-audit.csv', csv: 'id,at\r\n1,x' }));
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:audit'), revokeObjectURL: vi.fn() });
    const { transport } = renderWithEngine(<LogsScreen onOpenCall={vi.fn()} />, {
      'logs/errors': () => [],
      'accounts/list': () => [{ id: 2, name: 'Ana Desk', role: 'front_desk', secretKind: 'pin', disabled: false, lockedUntil: null }],
      'audit/list': ({ actor }) => ({
        entries: actor === 'Ana Desk' ? [entry(2)] : [entry(2), entry(1, { actor: 'Maria Admin', action: 'change-settings', target: 'engine', detail: 'openai.apiKey' })],
        nextBeforeId: null,
        chain: { intact: false, checked: 2, problem: 'Entry 3 has been changed since it was written.' },
      }),
      'audit/export-csv': exported,
    });
    await user.click(await screen.findByRole('tab', { name: 'Audit log' }));
    const table = await screen.findByRole('table', { name: 'Audit entries' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(within(table).getByText('(openai.apiKey)')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('The audit log has been tampered with: Entry 3 has been changed since it was written.');
    await user.selectOptions(screen.getByLabelText('Person'), 'Ana Desk');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(transport.callsTo('audit/list').at(-1)).toEqual({ actor: 'Ana Desk', limit: 200 });
    await user.click(screen.getByRole('button', { name: 'Export as CSV' }));
    await waitFor(() => expect(transport.callsTo('audit/export-csv')).toEqual([{ actor: 'Ana Desk' }]));
  });
});

describe('Settings → Accounts', () => {
  it('adds a front desk account with a PIN, disables one, and sets the idle lock', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen initial="accounts" />, {
      'accounts/list': () => [{ id: 1, name: 'Maria Admin', role: 'admin', secretKind: 'pin', disabled: false, lockedUntil: null }],
      'accounts/settings': (args) => ({ idleLockMinutes: args.idleLockMinutes ?? 10, auditRetentionDays: args.auditRetentionDays ?? 2190 }),
      'accounts/create': (args) => ({ id: 2, name: args.name, role: args.role, secretKind: 'pin', disabled: false, lockedUntil: null }),
      'accounts/update': (args) => ({ id: args.id, name: 'Maria Admin', role: 'admin', secretKind: 'pin', disabled: args.disabled === true, lockedUntil: null }),
    });
    const add = await screen.findByRole('form', { name: 'Add an account' });
    await user.type(within(add).getByLabelText('Name'), 'Ana Desk');
    await user.type(within(add).getByLabelText('PIN (6 digits or more)'), '246810');
    await user.click(within(add).getByRole('button', { name: 'Add account' }));
    await waitFor(() => expect(transport.callsTo('accounts/create')).toEqual([{ name: 'Ana Desk', role: 'front_desk', secretKind: 'pin', secret: '246810' }]));
    await user.click(screen.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(transport.callsTo('accounts/update')).toEqual([{ id: 1, disabled: true }]));
    const lock = screen.getByRole('form', { name: 'Screen lock' });
    const minutes = within(lock).getByLabelText(/idle minutes/);
    expect((minutes as HTMLInputElement).value).toBe('10');
    await user.clear(minutes);
    await user.type(minutes, '5');
    await user.click(within(lock).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('accounts/settings').at(-1)).toEqual({ idleLockMinutes: 5, auditRetentionDays: 2190 }));
  });
});

describe('Settings → Phone: the Twilio numbers', () => {
  it('uses a number, shows what changed at Twilio, offers to point it here again when it no longer does, and disconnects', async () => {
    const user = userEvent.setup();
    let state: { connected: boolean; pointsHere: boolean } = { connected: false, pointsHere: false };
    const number = () => ({ sid: 'PN' + '1'.repeat(32), phoneNumber: '+15550001234', friendlyName: 'Front desk line', voiceUrl: null, smsUrl: null, fallback: state.connected ? { dials: '+15550109999' } : null, ...state });
    const { transport } = renderWithEngine(<SettingsScreen initial="system" />, {
      'settings/get': () => ({ telephony: { twilioAccountSid: 'AC' + 'a'.repeat(32), twilioAuthTokenSet: true, twilioNumber: null, publicBaseUrl: 'https://clinic.example.com', transferNumber: null }, openai: { apiKeySet: true, model: 'gpt-realtime' }, retention: { transcriptDays: null } }) as never,
      'twilio/numbers': () => [number()],
      'twilio/connect-number': () => {
        state = { connected: true, pointsHere: true };
        return { number: number(), changed: [{ field: 'voiceUrl', before: 'https://demo.twilio.com/welcome/voice/', after: 'https://clinic.example.com/twilio/voice' }] };
      },
      'twilio/self-test': () => [
        { name: 'Twilio account', ok: true, words: 'Twilio accepts the Account SID and Auth Token.' },
        { name: 'Public address', ok: false, words: 'https://clinic.example.com does not reach this PC: check that the tunnel is running.' },
      ],
      'twilio/disconnect-number': () => {
        state = { connected: false, pointsHere: false };
        return number();
      },
    });
    const list = await screen.findByRole('list', { name: 'Twilio numbers' });
    await user.click(await within(list).findByRole('button', { name: 'Use this number' }));
    expect((await screen.findByText(/voiceUrl: https:\/\/demo\.twilio\.com\/welcome\/voice\/ → https:\/\/clinic\.example\.com\/twilio\/voice/)).closest('[role="status"]')).toBeTruthy();
    expect(await within(list).findByText('Answered by this PC')).toBeTruthy();
    expect(within(list).getByText(/When this PC does not answer, Twilio apologises and rings \+15550109999, then takes a voicemail/)).toBeTruthy();
    state = { connected: true, pointsHere: false };
    await user.click(within(list).getByRole('button', { name: 'Disconnect this number' }));
    await waitFor(() => expect(transport.callsTo('twilio/disconnect-number')).toHaveLength(1));
    expect(await within(list).findByRole('button', { name: 'Use this number' })).toBeTruthy();
    expect(transport.callsTo('twilio/connect-number')).toEqual([{ sid: 'PN' + '1'.repeat(32) }]);
    await user.click(screen.getByRole('button', { name: 'Check the phone line' }));
    const check = await screen.findByRole('list', { name: 'Phone line check' });
    expect(check.textContent).toContain('✗ Public address: https://clinic.example.com does not reach this PC');
    expect(check.textContent).toContain('✓ Twilio account');
  });
});
