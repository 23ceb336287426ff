// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { StatusBar } from '../../renderer/src/components/StatusBar';
import type { ChecklistItem, StatusView } from '../../renderer/src/contract';
import { HandlerFailure, InMemoryEmitter, InMemoryTransport, type InMemoryHandlers } from '../../renderer/src/transport/in-memory';
import { clinicFixture, renderWithEngine, sessionFixture } from './helpers';

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
  const transport = new InMemoryTransport({ 'session/state': () => sessionFixture(), 'clinic/get': () => clinicFixture(), 'live/list': () => [], 'inbox/list': () => [], 'status/get': () => status(), 'setup/checklist': () => allDone, ...handlers }, new InMemoryEmitter());
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
        'session/state': () => sessionFixture(),
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

  it('signs in by picking a name and entering the PIN; the token is kept for a reload', async () => {
    const user = userEvent.setup();
    const desk = { id: 2, name: 'Ana', role: 'front_desk' as const, secretKind: 'pin' as const };
    const accounts = [{ id: 1, name: 'Maria', role: 'admin' as const, secretKind: 'pin' as const }, desk];
    const signedOut = sessionFixture({ signedIn: false, account: null, accounts });
    const transport = app({
      'session/state': () => signedOut,
      'session/sign-in': ({ accountId, secret }) => {
        if (secret !== '246810') throw new HandlerFailure('BAD_REQUEST', 'That PIN is not right.');
        return { token: 'tok-ana', session: sessionFixture({ account: { id: accountId, name: 'Ana', role: 'front_desk' }, accounts }) };
      },
    });
    await user.click(await screen.findByRole('button', { name: /^Ana/ }));
    await user.type(screen.getByLabelText("Ana's PIN"), '111111');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That PIN is not right.');
    await user.type(screen.getByLabelText("Ana's PIN"), '246810');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/Calls to Bright Smile Clinic appear here/)).toBeTruthy();
    expect(transport.callsTo('session/sign-in').at(-1)).toEqual({ accountId: 2, secret: '246810' });
    expect(sessionStorage.getItem('deskline.session')).toBe('tok-ana');
    // A front desk account is offered no Settings or Logs, and Settings by its address says so.
    const nav = screen.getByRole('navigation', { name: 'Screens' });
    expect(within(nav).queryByRole('button', { name: 'Settings' })).toBeNull();
    expect(within(nav).queryByRole('button', { name: 'Logs' })).toBeNull();
    act(() => {
      window.location.hash = '#/settings';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(await screen.findByText('Only an admin can open Settings')).toBeTruthy();
  });

  it('a locked screen covers everything, shows only how many calls are in progress, and unlocks with the PIN', async () => {
    const user = userEvent.setup();
    const emitter = new InMemoryEmitter();
    const transport = new InMemoryTransport(
      {
        'session/state': () => sessionFixture(),
        'clinic/get': () => clinicFixture(),
        'live/list': () => [],
        'status/get': () => status(),
        'setup/checklist': () => allDone,
        'inbox/list': () => [],
        'session/unlock': ({ secret }) => {
          if (secret !== '135790') throw new HandlerFailure('BAD_REQUEST', 'That PIN is not right.');
          return sessionFixture();
        },
      },
      emitter,
    );
    render(<App transport={transport} />);
    await screen.findByText(/Calls to Bright Smile Clinic/);
    act(() => emitter.emit('session.changed', sessionFixture({ locked: true, callsInProgress: 1 })));
    expect(await screen.findByRole('heading', { name: 'Locked' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Screens' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('1 call in progress.');
    act(() => emitter.emit('calls.in-progress', { count: 3 }));
    expect(screen.getByRole('status').textContent).toBe('3 calls in progress.');
    await user.type(screen.getByLabelText("Maria's PIN"), '135790');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByRole('navigation', { name: 'Screens' })).toBeTruthy();
  });

  it('first run: the sign-in screen creates the first admin', async () => {
    const user = userEvent.setup();
    const transport = app({
      'session/state': () => sessionFixture({ signedIn: false, account: null, accounts: [], needsFirstAdmin: true }),
      'session/first-admin': ({ name }) => ({ token: 'tok-1', session: sessionFixture({ account: { id: 1, name, role: 'admin' } }) }),
    });
    await user.type(await screen.findByLabelText('Your name'), 'Maria');
    await user.type(screen.getByLabelText('PIN'), '482913');
    await user.type(screen.getByLabelText('The same PIN again'), '482913');
    await user.click(screen.getByRole('button', { name: 'Create the admin account' }));
    expect(await screen.findByRole('navigation', { name: 'Screens' })).toBeTruthy();
    expect(transport.callsTo('session/first-admin')).toEqual([{ name: 'Maria', secretKind: 'pin', secret: '482913' }]);
  });

  it('switches theme between system, light and dark, and remembers it', async () => {
    const user = userEvent.setup();
    app({});
    await screen.findByRole('navigation', { name: 'Screens' });
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
