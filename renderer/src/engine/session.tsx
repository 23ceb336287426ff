import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Reply, SecretKind, SessionView, SignInResult } from '../contract';
import { useConnection, useEngine, useEngineEvent } from './context';

/** This tab's (or window's) session token: survives a reload, not the closing of the tab. */
const TOKEN_KEY = 'deskline.session';
/** Using the dashboard is reported at most this often; the engine decides when it is idle. */
const ACTIVITY_EVERY_MS = 30_000;

interface SessionState {
  /** What the engine says about this connection; null until it has answered. */
  view: SessionView | null;
  /** Signed in, unlocked, and resumed on the current connection: the screens may load. */
  active: boolean;
  signIn(accountId: number, secret: string): Promise<Reply<SignInResult>>;
  createFirstAdmin(name: string, secretKind: SecretKind, secret: string): Promise<Reply<SignInResult>>;
  unlock(secret: string): Promise<Reply<SessionView>>;
  lock(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/**
 * Who is using this dashboard. The engine holds the session and enforces everything (roles,
 * the idle lock); this keeps the token across reloads, resumes it on every (re)connection,
 * follows `session.changed`, and tells the engine when someone is actually using the screen.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const engine = useEngine();
  const { status, generation } = useConnection();
  const [view, setView] = useState<SessionView | null>(null);
  const [resumedFor, setResumedFor] = useState(-1);
  const lastActivity = useRef(0);

  useEngineEvent('session.changed', setView);
  useEngineEvent('calls.in-progress', ({ count }) => setView((v) => (v ? { ...v, callsInProgress: count } : v)));

  useEffect(() => {
    if (status !== 'open') return;
    let cancelled = false;
    void (async () => {
      const token = sessionStorage.getItem(TOKEN_KEY);
      const resumed = token ? await engine.call('session/resume', { token }) : null;
      if (resumed && !resumed.ok) sessionStorage.removeItem(TOKEN_KEY);
      const reply = resumed?.ok ? resumed : await engine.call('session/state', {});
      if (cancelled) return;
      if (reply.ok) setView(reply.value);
      setResumedFor(generation);
    })();
    return () => {
      cancelled = true;
    };
  }, [engine, status, generation]);

  const active = view !== null && view.signedIn && !view.locked && resumedFor === generation && status === 'open';

  useEffect(() => {
    if (!active) return;
    const onUse = () => {
      const now = Date.now();
      if (now - lastActivity.current < ACTIVITY_EVERY_MS) return;
      lastActivity.current = now;
      void engine.call('session/activity', {}).then((r) => r.ok && setView(r.value));
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'mousemove'] as const;
    for (const e of events) window.addEventListener(e, onUse, { passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onUse);
    };
  }, [active, engine]);

  const signedIn = useCallback((reply: Reply<SignInResult>) => {
    if (reply.ok) {
      sessionStorage.setItem(TOKEN_KEY, reply.value.token);
      lastActivity.current = Date.now();
      setView(reply.value.session);
      setResumedFor(generation);
    }
    return reply;
  }, [generation]);

  const state: SessionState = {
    view,
    active,
    signIn: async (accountId, secret) => signedIn(await engine.call('session/sign-in', { accountId, secret })),
    createFirstAdmin: async (name, secretKind, secret) => signedIn(await engine.call('session/first-admin', { name, secretKind, secret })),
    unlock: async (secret) => {
      const reply = await engine.call('session/unlock', { secret });
      if (reply.ok) setView(reply.value);
      return reply;
    },
    lock: async () => {
      const reply = await engine.call('session/lock', {});
      if (reply.ok) setView(reply.value);
    },
    signOut: async () => {
      const reply = await engine.call('session/sign-out', {});
      sessionStorage.removeItem(TOKEN_KEY);
      if (reply.ok) setView(reply.value);
    },
  };
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession() needs a <SessionProvider> above it');
  return state;
}
