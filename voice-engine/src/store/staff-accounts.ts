import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

import type { Role, SecretKind } from '../contract-accounts.js';

export type { Role, SecretKind };

export interface StaffAccount {
  id: number;
  name: string;
  role: Role;
  secretKind: SecretKind;
  /** scrypt hash with its salt and parameters (accounts/secret-hash.ts); never the secret. */
  secretHash: string;
  disabledAt: number | null;
  failedAttempts: number;
  lockedUntil: number | null;
  secretChangedAt: number;
  createdAt: number;
}

export interface StaffSession {
  tokenHash: string;
  accountId: number;
  createdAt: number;
  expiresAt: number;
  lastActivityAt: number;
  lockedAt: number | null;
  endedAt: number | null;
}

interface AccountRow {
  id: number;
  name: string;
  role: Role;
  secret_kind: SecretKind;
  secret_hash: string;
  disabled_at: number | null;
  failed_attempts: number;
  locked_until: number | null;
  secret_changed_at: number;
  created_at: number;
}

interface SessionRow {
  token_hash: string;
  account_id: number;
  created_at: number;
  expires_at: number;
  last_activity_at: number;
  locked_at: number | null;
  ended_at: number | null;
}

const toAccount = (r: AccountRow): StaffAccount => ({
  id: r.id, name: r.name, role: r.role, secretKind: r.secret_kind, secretHash: r.secret_hash, disabledAt: r.disabled_at,
  failedAttempts: r.failed_attempts, lockedUntil: r.locked_until, secretChangedAt: r.secret_changed_at, createdAt: r.created_at,
});
const toSession = (r: SessionRow): StaffSession => ({
  tokenHash: r.token_hash, accountId: r.account_id, createdAt: r.created_at, expiresAt: r.expires_at, lastActivityAt: r.last_activity_at, lockedAt: r.locked_at, endedAt: r.ended_at,
});

function prepareStaffStatements(db: Db) {
  return {
    all: db.prepare<[], AccountRow>('SELECT * FROM staff_accounts ORDER BY name'),
    byId: db.prepare<[number], AccountRow>('SELECT * FROM staff_accounts WHERE id = ?'),
    insert: db.prepare<[string, Role, SecretKind, string, number, number]>('INSERT INTO staff_accounts (name, role, secret_kind, secret_hash, secret_changed_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    update: db.prepare<[string, Role, number | null, number]>('UPDATE staff_accounts SET name = ?, role = ?, disabled_at = ? WHERE id = ?'),
    secret: db.prepare<[SecretKind, string, number, number]>('UPDATE staff_accounts SET secret_kind = ?, secret_hash = ?, secret_changed_at = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?'),
    failed: db.prepare<[number | null, number]>('UPDATE staff_accounts SET failed_attempts = failed_attempts + 1, locked_until = ? WHERE id = ?'),
    succeeded: db.prepare<[number]>('UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?'),
    activeAdmins: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM staff_accounts WHERE role = 'admin' AND disabled_at IS NULL"),
    startSession: db.prepare<[string, number, number, number, number]>('INSERT INTO staff_sessions (token_hash, account_id, created_at, expires_at, last_activity_at) VALUES (?, ?, ?, ?, ?)'),
    session: db.prepare<[string], SessionRow>('SELECT * FROM staff_sessions WHERE token_hash = ?'),
    activity: db.prepare<[number, string]>('UPDATE staff_sessions SET last_activity_at = ? WHERE token_hash = ?'),
    lock: db.prepare<[number, string]>('UPDATE staff_sessions SET locked_at = ? WHERE token_hash = ? AND locked_at IS NULL'),
    unlock: db.prepare<[number, string]>('UPDATE staff_sessions SET locked_at = NULL, last_activity_at = ? WHERE token_hash = ?'),
    end: db.prepare<[number, string]>('UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL'),
    endForAccount: db.prepare<[number, number]>('UPDATE staff_sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL'),
    forget: db.prepare<[number]>('DELETE FROM staff_sessions WHERE expires_at < ? OR ended_at IS NOT NULL'),
  };
}

/** Staff accounts and their sessions (migration 16). */
export class StaffAccountStore {
  private readonly q: () => ReturnType<typeof prepareStaffStatements>;

  constructor(db: Db) {
    this.q = lazyStatements(db, prepareStaffStatements);
  }

  all(): StaffAccount[] {
    return this.q().all.all().map(toAccount);
  }

  get(id: number): StaffAccount | null {
    const row = this.q().byId.get(id);
    return row ? toAccount(row) : null;
  }

  create(a: { name: string; role: Role; secretKind: SecretKind; secretHash: string }, now: number): StaffAccount {
    const id = Number(this.q().insert.run(a.name, a.role, a.secretKind, a.secretHash, now, now).lastInsertRowid);
    return this.get(id)!;
  }

  update(id: number, a: { name: string; role: Role; disabledAt: number | null }): void {
    this.q().update.run(a.name, a.role, a.disabledAt, id);
  }

  setSecret(id: number, kind: SecretKind, hash: string, now: number): void {
    this.q().secret.run(kind, hash, now, id);
  }

  signInFailed(id: number, lockedUntil: number | null): void {
    this.q().failed.run(lockedUntil, id);
  }

  signInSucceeded(id: number): void {
    this.q().succeeded.run(id);
  }

  activeAdmins(): number {
    return this.q().activeAdmins.get()!.n;
  }

  startSession(tokenHash: string, accountId: number, now: number, expiresAt: number): void {
    this.q().startSession.run(tokenHash, accountId, now, expiresAt, now);
  }

  session(tokenHash: string): StaffSession | null {
    const row = this.q().session.get(tokenHash);
    return row ? toSession(row) : null;
  }

  touch(tokenHash: string, now: number): void {
    this.q().activity.run(now, tokenHash);
  }

  /** True when this locked it (it was not locked already). */
  lock(tokenHash: string, now: number): boolean {
    return this.q().lock.run(now, tokenHash).changes === 1;
  }

  unlock(tokenHash: string, now: number): void {
    this.q().unlock.run(now, tokenHash);
  }

  endSession(tokenHash: string, now: number): void {
    this.q().end.run(now, tokenHash);
  }

  /** Every session of the account ends (disabled, or its PIN changed). */
  endSessionsOf(accountId: number, now: number): void {
    this.q().endForAccount.run(now, accountId);
  }

  forgetOldSessions(now: number): void {
    this.q().forget.run(now);
  }
}
