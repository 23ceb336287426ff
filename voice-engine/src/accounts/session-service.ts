import { createHash, randomBytes } from 'node:crypto';
import type { Role, SecretKind } from '../contract.js';
import type { Store } from '../store/index.js';
import type { StaffAccount, StaffSession } from '../store/staff-accounts.js';
import type { AuditTrail } from './audit-trail.js';
import { verifySecret } from './secret-hash.js';

export const IDLE_LOCK_SETTING = 'accounts.idleLockMinutes';
export const DEFAULT_IDLE_LOCK_MINUTES = 10;
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Wrong PINs allowed before the account waits; then 30 s, doubling with each further miss, up to an hour. */
const FREE_ATTEMPTS = 5;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 60 * 60 * 1000;

export class SignInError extends Error {
  constructor(readonly reason: 'wrong' | 'waiting' | 'disabled', message: string) {
    super(message);
  }
}

/** A session as a connection holds it: checked fresh on each use. */
export interface ActiveSession {
  tokenHash: string;
  account: { id: number; name: string; role: Role };
  locked: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Staff sign-in and the sessions it makes: server-side, expiring, ended when the account is
 * disabled or its PIN changes, and locked after the clinic's idle time (the engine decides,
 * on the clock passed in; the dashboard only reports that someone is using it). Wrong PINs
 * make the account wait longer and longer. Every step is audited.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditTrail,
    private readonly now: () => number = Date.now,
  ) {}

  idleLockMs(): number {
    return (this.store.settings.get<number>(IDLE_LOCK_SETTING) ?? DEFAULT_IDLE_LOCK_MINUTES) * 60_000;
  }

  /** Checks the PIN or password; a new session's token, or a SignInError saying why not. */
  async signIn(accountId: number, secret: string, origin: string): Promise<string> {
    const account = await this.checkSecret(accountId, secret, origin, 'sign-in');
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.store.staff.startSession(hashToken(token), account.id, now, now + SESSION_TTL_MS);
    this.audit.record(account, 'sign-in', origin);
    return token;
  }

  /** The session behind a token, if it is still good; locks it first when it has been idle too long. */
  resolve(token: string | null, origin: string): ActiveSession | null {
    if (!token) return null;
    return this.check(this.store.staff.session(hashToken(token)), origin);
  }

  /** The same check for a session already held (by its token's hash). */
  refresh(tokenHash: string, origin: string): ActiveSession | null {
    return this.check(this.store.staff.session(tokenHash), origin);
  }

  activity(s: ActiveSession): void {
    if (!s.locked) this.store.staff.touch(s.tokenHash, this.now());
  }

  lock(s: ActiveSession, origin: string, why: 'by hand' | 'idle'): void {
    if (this.store.staff.lock(s.tokenHash, this.now())) this.audit.record(s.account, 'lock', origin, null, why);
  }

  async unlock(s: ActiveSession, secret: string, origin: string): Promise<void> {
    await this.checkSecret(s.account.id, secret, origin, 'unlock');
    this.store.staff.unlock(s.tokenHash, this.now());
    this.audit.record(s.account, 'unlock', origin);
  }

  signOut(s: ActiveSession, origin: string): void {
    this.store.staff.endSession(s.tokenHash, this.now());
    this.audit.record(s.account, 'sign-out', origin);
  }

  private check(session: StaffSession | null, origin: string): ActiveSession | null {
    const now = this.now();
    if (!session || session.endedAt !== null || session.expiresAt <= now) return null;
    const account = this.store.staff.get(session.accountId);
    // Disabled, or its PIN changed since: the session is over.
    if (!account || account.disabledAt !== null || account.secretChangedAt > session.createdAt) return null;
    const active: ActiveSession = { tokenHash: session.tokenHash, account: { id: account.id, name: account.name, role: account.role }, locked: session.lockedAt !== null };
    if (!active.locked && now - session.lastActivityAt >= this.idleLockMs()) {
      this.lock(active, origin, 'idle');
      active.locked = true;
    }
    return active;
  }

  private async checkSecret(accountId: number, secret: string, origin: string, what: 'sign-in' | 'unlock'): Promise<StaffAccount> {
    const account = this.store.staff.get(accountId);
    if (!account) throw new SignInError('wrong', 'That name or PIN is not right.');
    if (account.disabledAt !== null) throw new SignInError('disabled', 'This account is disabled. Ask an admin.');
    const now = this.now();
    if (account.lockedUntil !== null && account.lockedUntil > now) {
      this.audit.record(account, `${what}-refused`, origin, null, 'waiting after wrong PINs');
      throw new SignInError('waiting', `Too many wrong tries. Try again in ${Math.ceil((account.lockedUntil - now) / 1000)} s.`);
    }
    if (typeof secret !== 'string' || !(await verifySecret(secret, account.secretHash))) {
      const misses = account.failedAttempts + 1;
      const wait = misses >= FREE_ATTEMPTS ? Math.min(FIRST_WAIT_MS * 2 ** (misses - FREE_ATTEMPTS), MAX_WAIT_MS) : 0;
      this.store.staff.signInFailed(account.id, wait > 0 ? now + wait : null);
      this.audit.record(account, `${what}-failed`, origin, null, `wrong ${kindWord(account.secretKind)}${wait > 0 ? `; waits ${wait / 1000} s` : ''}`);
      throw new SignInError(wait > 0 ? 'waiting' : 'wrong', wait > 0 ? `That ${kindWord(account.secretKind)} is not right. Too many wrong tries: try again in ${wait / 1000} s.` : `That ${kindWord(account.secretKind)} is not right.`);
    }
    this.store.staff.signInSucceeded(account.id);
    return account;
  }
}

const kindWord = (kind: SecretKind) => (kind === 'pin' ? 'PIN' : 'password');
