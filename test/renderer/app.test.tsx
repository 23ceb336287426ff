// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { StatusBar } from '../../renderer/src/components/StatusBar';
import type { ChecklistItem, StatusView } from '../../renderer/src/contract';
import { InMemoryEmitter, InMemoryTransport, type InMemoryHandlers } from '../../renderer/src/transport/in-memory';
import { clinicFixture, renderWithEngine } from './helpers';

afterEach(cleanup);
beforeEach(() => {
  window.location.hash = '';
  sessionStorage.clear();
  localStorage.clear();
});

function status(overrides: Partial<StatusView> = {}): StatusView {
  return {
    engine: { ready: true },
    openai: { ready: true },
    twilio: { ready: false, reason: 'Twilio rejected the credentials (401)' },
    google: { connected: true, available: true },
    publicUrl: { url: 'https://clinic.example.com', reachable: true },
    lastBackupAt: Date.now() - 2 * 3600_000,
    storageProblem: null,
    callsToday: 17,
    ...overrides,
  };
}

const allDone: ChecklistItem[] = [{ key: 'clinic', label: 'Clinic', done: true, detail: '' }];

function app(handlers: InMemoryHandlers) {
  const transport = new InMemoryTransport({ 'clinic/get': () => clinicFixture(), 'live/list': () => [], 'inbox/list': () => [], 'status/get': () => status(), 'setup/checklist': () => allDone, ...handlers }, new InMemoryEmitter());
  render(<App transport={transport} />);
  return transport;
}

describe('Status bar', () => {
  it('shows engine, OpenAI, Twilio, Google, public URL, backup and calls today, and polls every 10 s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      let calls = 17;
      const { transport } = renderWithEngine(<StatusBar />, { 'status/get': () => status({ callsToday: calls }) });
      const bar = await screen.findByRole('contentinfo', { name: 'System status' });
      await waitFor(() => expect(within(bar).getByLabelText('Calls today: 17')).toBeTruthy());
      expect(within(bar).getByLabelText('Twilio: Problem (Twilio rejected the credentials (401))')).toBeTruthy();
      expect(within(bar).getByLabelText('OpenAI: OK')).toBeTruthy();
      expect(within(bar).getByLabelText('Google: Connected')).toBeTruthy();
      expect(within(bar).getByLabelText(/Public URL: Answers/)).toBeTruthy();
      expect(within(bar).getByLabelText('Backup: 2 h ago')).toBeTruthy();
      expect(within(bar).queryByLabelText(/^Storage/)).toBeNull();
      calls = 18;
      await act(async () => {
        vi.advanceTimersByTime(10_000);
      });
      await waitFor(() => expect(within(bar).getByLabelText('Calls today: 18')).toBeTruthy());
      expect(transport.callsTo('status/get').length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('App', () => {
  it('opens on live calls, with the clinic’s name, and navigates between screens', async () => {
    const user = userEvent.setup();
    app({ 'calls/search': () => ({ calls: [], nextBeforeId: null }) });
    expect(await screen.findByText(/Calls to Bright Smile Clinic appear here/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Call log' }));
    expect(await screen.findByRole('heading', { name: 'Call log' })).toBeTruthy();
    expect(window.location.hash).toBe('#/calls');
    expect(screen.getByRole('button', { name: 'Call log' }).getAttribute('aria-current')).toBe('page');
  });

  it('starts in Setup when the checklist has undone items', async () => {
    app({ 'setup/checklist': () => [{ key: 'openai', label: 'OpenAI key', done: false, detail: 'Not set' }], 'settings/get': () => ({ telephony: { twilioAccountSid: null, twilioAuthTokenSet: false, twilioNumber: null, publicBaseUrl: null, transferNumber: null }, openai: { apiKeySet: false, model: 'gpt-realtime' }, retention: { transcriptDays: null } }) });
    expect(await screen.findByRole('heading', { name: 'Set up Deskline' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Setup/ })).toBeTruthy();
  });

  it('counts waiting inbox items in the navigation and updates on inbox.changed', async () => {
    let items = 0;
    const emitter = new InMemoryEmitter();
    const transport = new InMemoryTransport(
      {
        'clinic/get': () => clinicFixture(),
        'live/list': () => [],
        'status/get': () => status(),
        'setup/checklist': () => allDone,
        'inbox/list': () => Array.from({ length: items }, (_, i) => ({ kind: 'message' as const, id: i, callId: null, title: `m${i}`, detail: '', urgency: 'normal' as const, createdAt: 0, resolvedAt: null, resolvedBy: null })),
      },
      emitter,
    );
    render(<App transport={transport} />);
    await screen.findByText(/Calls to Bright Smile Clinic/);
    expect(screen.getByRole('button', { name: 'Inbox' })).toBeTruthy();
    items = 2;
    act(() => emitter.emit('inbox.changed', {}));
    expect(await screen.findByRole('button', { name: /^Inbox\s*,\s*2 waiting$/ })).toBeTruthy();
  });

  it('switches theme between system, light and dark, and remembers it', async () => {
    const user = userEvent.setup();
    app({});
    const toggle = await screen.findByRole('button', { name: /Theme: follow the system/ });
    await user.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('light');
    await user.click(screen.getByRole('button', { name: /Theme: light/ }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('deskline.theme')).toBe('"dark"');
    await user.click(screen.getByRole('button', { name: /Theme: dark/ }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

describe('Status bar: the disk', () => {
  it('says when call records or backups cannot be written, and why', async () => {
    renderWithEngine(<StatusBar />, { 'status/get': () => status({ storageProblem: 'Call records cannot be saved: SQLITE_FULL: database or disk is full' }) });
    const bar = await screen.findByRole('contentinfo', { name: 'System status' });
    expect(await within(bar).findByLabelText('Storage: Problem (Call records cannot be saved: SQLITE_FULL: database or disk is full)')).toBeTruthy();
  });
});
