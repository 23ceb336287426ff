import { useEffect, useState, type ReactNode } from 'react';
import { EmptyState } from './components/common';
import { ConnectionBanner } from './components/ConnectionBanner';
import { StatusBar } from './components/StatusBar';
import { ThemeToggle } from './components/ThemeToggle';
import { UrgentAlert } from './components/UrgentAlert';
import { ClinicProvider, useClinic } from './engine/clinic';
import { EngineProvider, useConnection, useEngineEvent } from './engine/context';
import { SessionProvider, useSession } from './engine/session';
import { useEngineQuery } from './engine/query';
import { AppointmentsScreen } from './screens/appointments/AppointmentsScreen';
import { CallLogScreen } from './screens/call-log/CallLogScreen';
import { InboxScreen } from './screens/inbox/InboxScreen';
import { LiveCallsScreen } from './screens/live-calls/LiveCallsScreen';
import { LogsScreen } from './screens/logs/LogsScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import { SetupScreen } from './screens/setup/SetupScreen';
import { LockScreen } from './screens/sign-in/LockScreen';
import { SignInScreen } from './screens/sign-in/SignInScreen';
import type { Role } from './contract';
import { ROLE_LABELS } from './format/labels';
import type { EngineTransport } from './transport/types';
import { TestCallProvider } from './test-call/test-call';

export type Route = { screen: 'live' | 'appointments' | 'inbox' | 'logs' | 'settings' | 'setup' } | { screen: 'calls'; callId: number | null };

export function parseRoute(hash: string): Route | null {
  const path = hash.replace(/^#\/?/, '');
  const [screen, arg] = path.split('/');
  switch (screen) {
    case 'live':
    case 'appointments':
    case 'inbox':
    case 'logs':
    case 'settings':
    case 'setup':
      return { screen };
    case 'calls': {
      const id = arg && /^\d+$/.test(arg) ? Number(arg) : null;
      return { screen: 'calls', callId: id };
    }
    default:
      return null;
  }
}

export function routeHash(route: Route): string {
  return route.screen === 'calls' && route.callId !== null ? `#/calls/${route.callId}` : `#/${route.screen}`;
}

const ALL: readonly Role[] = ['admin', 'front_desk', 'view_only'];
const DESK: readonly Role[] = ['admin', 'front_desk'];
const ADMIN: readonly Role[] = ['admin'];

/** The screens, and who they are for (the engine refuses the rest whatever this shows). */
const NAV: ReadonlyArray<{ screen: Route['screen']; label: string; key: string; roles: readonly Role[] }> = [
  { screen: 'live', label: 'Live calls', key: '1', roles: ALL },
  { screen: 'calls', label: 'Call log', key: '2', roles: ALL },
  { screen: 'appointments', label: 'Appointments', key: '3', roles: DESK },
  { screen: 'inbox', label: 'Inbox', key: '4', roles: DESK },
  { screen: 'logs', label: 'Logs', key: '5', roles: ADMIN },
  { screen: 'settings', label: 'Settings', key: '6', roles: ADMIN },
];


const SETUP_DISMISSED = 'deskline.setupDismissed';

/** The engine and the clinic, for the whole app (and for component tests). */
export function AppProviders({ transport, children }: { transport: EngineTransport; children: ReactNode }) {
  return (
    <EngineProvider transport={transport}>
      <SessionProvider>
        <ClinicProvider>
          <TestCallProvider>{children}</TestCallProvider>
        </ClinicProvider>
      </SessionProvider>
    </EngineProvider>
  );
}

export function App({ transport }: { transport: EngineTransport }) {
  return (
    <AppProviders transport={transport}>
      <Shell />
    </AppProviders>
  );
}

function useHashRoute(): [Route | null, (r: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (r: Route) => {
    const hash = routeHash(r);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(r);
  };
  return [route, go];
}

function Shell() {
  const { status, reason } = useConnection();
  const session = useSession();
  const view = session.view;
  const unreachable = status !== 'open' && (reason === 'unauthorized' || reason === 'no-engine');
  if (unreachable || !view || !view.signedIn || view.locked || !session.active) {
    return (
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="brand-name">Deskline</span>
          </div>
          <ThemeToggle />
        </header>
        <ConnectionBanner />
        <main id="main" tabIndex={-1}>
          {unreachable ? (
            <EmptyState title={reason === 'unauthorized' ? 'Sign in to see the dashboard' : 'Not connected to Deskline'}>
              {reason === 'unauthorized'
                ? 'Open the login link printed by Deskline (or in the desktop app). This page connects by itself once you have.'
                : 'Open the dashboard from the Deskline desktop app, or with the login link Deskline prints when it starts.'}
            </EmptyState>
          ) : !view ? null : !view.signedIn ? (
            <SignInScreen view={view} />
          ) : view.locked ? (
            <LockScreen view={view} />
          ) : null}
        </main>
      </div>
    );
  }
  return <SignedInShell role={view.account?.role ?? 'view_only'} name={view.account?.name ?? ''} />;
}

function SignedInShell({ role, name }: { role: Role; name: string }) {
  const [route, go] = useHashRoute();
  const { clinic } = useClinic();
  const session = useSession();
  const { status } = useConnection();
  const nav = NAV.filter((n) => n.roles.includes(role));
  const checklist = useEngineQuery('setup/checklist', {}, { enabled: status === 'open' && role === 'admin' });
  const inbox = useEngineQuery('inbox/list', {}, { enabled: status === 'open' && role !== 'view_only' });
  const { reload: reloadInbox } = inbox;
  useEngineEvent('inbox.changed', () => void reloadInbox());
  const setupLeft = checklist.data?.filter((i) => !i.done && !i.optional).length ?? 0;
  const inboxOpen = inbox.data?.filter((i) => i.resolvedAt === null).length ?? 0;

  // First run: when something essential is missing, start in Setup (unless dismissed this session).
  useEffect(() => {
    if (route === null && checklist.data && setupLeft > 0 && sessionStorage.getItem(SETUP_DISMISSED) !== '1') go({ screen: 'setup' });
  }, [checklist.data]);

  // Alt+1…6 switch screens from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const item = nav.find((n) => n.key === e.key);
      if (!item) return;
      e.preventDefault();
      go(item.screen === 'calls' ? { screen: 'calls', callId: null } : { screen: item.screen });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    const name = clinic?.profile.name && clinic.profile.name !== 'the clinic' ? clinic.profile.name : null;
    document.title = name ? `${name} · Deskline` : 'Deskline';
  }, [clinic?.profile.name]);

  const current: Route = route ?? { screen: 'live' };
  const allowed = current.screen === 'setup' ? role === 'admin' : NAV.find((n) => n.screen === current.screen)!.roles.includes(role);
  const openCall = (id: number) => go({ screen: 'calls', callId: id });

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-name">Deskline</span>
          {clinic?.profile.name && clinic.profile.name !== 'the clinic' ? <span className="brand-clinic">{clinic.profile.name}</span> : null}
        </div>
        <nav className="mainnav" aria-label="Screens">
          {nav.map((n) => (
            <button
              key={n.screen}
              type="button"
              aria-current={current.screen === n.screen ? 'page' : undefined}
              onClick={() => go(n.screen === 'calls' ? { screen: 'calls', callId: null } : { screen: n.screen })}
              aria-keyshortcuts={`Alt+${n.key}`}
            >
              {n.label}
              {n.screen === 'inbox' && inboxOpen > 0 ? (
                <span className="nav-count" aria-label={`, ${inboxOpen} waiting`}>
                  {inboxOpen}
                </span>
              ) : null}
            </button>
          ))}
          {setupLeft > 0 ? (
            <button type="button" aria-current={current.screen === 'setup' ? 'page' : undefined} onClick={() => go({ screen: 'setup' })} className="nav-setup">
              Setup <span className="nav-count" aria-label={`, ${setupLeft} left`}>{setupLeft}</span>
            </button>
          ) : null}
        </nav>
        <div className="user-menu" aria-label="Signed in">
          <span>
            {name} <span className="muted">{ROLE_LABELS[role]}</span>
          </span>
          <button type="button" onClick={() => void session.lock()}>
            Lock
          </button>
          <button type="button" onClick={() => void session.signOut()}>
            Switch user
          </button>
        </div>
        <ThemeToggle />
      </header>
      <ConnectionBanner />
      <UrgentAlert onOpen={() => go({ screen: 'live' })} />
      <main id="main" tabIndex={-1}>
        {!allowed ? (
          <EmptyState title={current.screen === 'settings' ? 'Only an admin can open Settings' : 'Your account cannot open this screen'}>
            Ask an admin if you need it.
          </EmptyState>
        ) : (
          <>
            {current.screen === 'live' ? <LiveCallsScreen /> : null}
            {current.screen === 'calls' ? <CallLogScreen selectedId={current.callId} onSelect={(id) => go({ screen: 'calls', callId: id })} /> : null}
            {current.screen === 'appointments' ? <AppointmentsScreen /> : null}
            {current.screen === 'inbox' ? <InboxScreen onOpenCall={openCall} /> : null}
            {current.screen === 'logs' ? <LogsScreen onOpenCall={openCall} /> : null}
            {current.screen === 'settings' ? <SettingsScreen /> : null}
            {current.screen === 'setup' ? (
              <SetupScreen
                onFinish={() => {
                  sessionStorage.setItem(SETUP_DISMISSED, '1');
                  void checklist.reload();
                  go({ screen: 'live' });
                }}
              />
            ) : null}
          </>
        )}
      </main>
      <StatusBar />
    </div>
  );
}
