import type { Reply, SecretKind } from '../contract.js';
import { hashSecret, secretProblem } from './secret-hash.js';
import { SignInError } from './session-service.js';
import type { StaffConnection, StaffGate } from './staff-gate.js';
import { createHash } from 'node:crypto';

/** Handlers about the connection's own session: they act on the connection, so the gate runs them itself. */
export const SESSION_HANDLERS: ReadonlySet<string> = new Set(['session/state', 'session/sign-in', 'session/resume', 'session/first-admin', 'session/activity', 'session/lock', 'session/unlock', 'session/sign-out']);

const bad = (message: string): Reply<never> => ({ ok: false, error: { code: 'BAD_REQUEST', message } });
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function sessionHandler(gate: StaffGate, conn: StaffConnection, name: string, raw: unknown): Promise<Reply<unknown>> {
  const { store, sessions, audit } = gate.deps;
  const args = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const changed = () => {
    const view = gate.view(conn);
    conn.notify?.(view);
    return view;
  };
  try {
    switch (name) {
      case 'session/state':
        return { ok: true, value: gate.view(conn) };
      case 'session/sign-in': {
        const token = await sessions.signIn(Number(args.accountId), String(args.secret ?? ''), conn.origin);
        conn.sessionHash = hashToken(token);
        return { ok: true, value: { session: changed(), token } };
      }
      case 'session/resume': {
        const s = sessions.resolve(typeof args.token === 'string' ? args.token : null, conn.origin);
        if (!s) return { ok: false, error: { code: 'SIGNED_OUT', message: 'That session has ended: sign in again.' } };
        conn.sessionHash = s.tokenHash;
        return { ok: true, value: changed() };
      }
      case 'session/first-admin': {
        if (store.staff.activeAdmins() > 0) return { ok: false, error: { code: 'FORBIDDEN', message: 'Deskline already has an admin: sign in, or ask them.' } };
        const accountName = typeof args.name === 'string' ? args.name.trim() : '';
        const kind: SecretKind = args.secretKind === 'password' ? 'password' : 'pin';
        if (!accountName || accountName.length > 60) return bad('Enter a name of up to 60 characters.');
        const problem = secretProblem(kind, args.secret);
        if (problem) return bad(problem);
        const account = store.staff.create({ name: accountName, role: 'admin', secretKind: kind, secretHash: await hashSecret(String(args.secret)) }, Date.now());
        audit.record(account, 'account-created', conn.origin, `account ${account.name}`, 'first admin, in the first-run setup');
        const token = await sessions.signIn(account.id, String(args.secret), conn.origin);
        conn.sessionHash = hashToken(token);
        return { ok: true, value: { session: changed(), token } };
      }
    }
    const s = gate.session(conn);
    if (!s) return { ok: false, error: { code: 'SIGNED_OUT', message: 'Sign in to Deskline first.' } };
    switch (name) {
      case 'session/activity':
        sessions.activity(s);
        return { ok: true, value: gate.view(conn) };
      case 'session/lock':
        sessions.lock(s, conn.origin, 'by hand');
        return { ok: true, value: changed() };
      case 'session/unlock':
        await sessions.unlock(s, String(args.secret ?? ''), conn.origin);
        return { ok: true, value: changed() };
      case 'session/sign-out':
        sessions.signOut(s, conn.origin);
        conn.sessionHash = null;
        return { ok: true, value: changed() };
    }
    return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `No handler named "${name}"` } };
  } catch (err) {
    if (err instanceof SignInError) return bad(err.message);
    throw err;
  }
}
