/**
 * The contract's people: staff accounts, sessions and the audit log, as the dashboard sees
 * them. Types only; no secret (PIN, password, hash, session token but one's own) is ever here.
 */

export type Role = 'admin' | 'front_desk' | 'view_only';
export type SecretKind = 'pin' | 'password';

export interface StaffAccountView {
  id: number;
  name: string;
  role: Role;
  secretKind: SecretKind;
  disabled: boolean;
  /** After repeated wrong PINs: no sign-in until then (epoch ms). */
  lockedUntil: number | null;
}

/** Who this dashboard connection is, and whether its screen is locked. */
export interface SessionView {
  /** A person is signed in on this connection (or it holds the API token). */
  signedIn: boolean;
  account: { id: number; name: string; role: Role } | null;
  locked: boolean;
  /** The screen locks after this long without use (Settings → Accounts). */
  idleLockMinutes: number;
  /** No admin exists yet: the first-run setup creates one. */
  needsFirstAdmin: boolean;
  /** Who can sign in here: names and roles only. */
  accounts: Array<{ id: number; name: string; role: Role; secretKind: SecretKind }>;
  /** Calls on the line now: all a locked screen shows. */
  callsInProgress: number;
}

export interface SignInResult {
  session: SessionView;
  /** Kept by this dashboard (tab or window) to resume after a reload or reconnect. */
  token: string;
}

export interface AuditEntryView {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  origin: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
  beforeId?: number;
  limit?: number;
}

export interface AuditChainView {
  intact: boolean;
  /** Entries checked, and where the chain first breaks, in words. */
  checked: number;
  problem: string | null;
}

export interface AccountSettingsView {
  idleLockMinutes: number;
  /** Audit entries are kept this long (default six years), longer than transcripts. */
  auditRetentionDays: number;
}
