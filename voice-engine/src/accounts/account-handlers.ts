import type { AccountSettingsView, AuditEntryView, AuditQuery, Role, SecretKind, StaffAccountView } from '../contract.js';
import { HandlerError, type HandlerRegistry } from '../api/registry.js';
import type { Store } from '../store/index.js';
import type { StaffAccount } from '../store/staff-accounts.js';
import type { AuditRow } from '../store/audit-log.js';
import type { AuditTrail } from './audit-trail.js';
import { hashSecret, secretProblem } from './secret-hash.js';
import { DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_SETTING } from './session-service.js';

export const AUDIT_RETENTION_SETTING = 'retention.auditDays';
/** Six years: HIPAA's documentation retention (45 CFR 164.316(b)(2)). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 6 * 365;
const ROLES: readonly Role[] = ['admin', 'front_desk', 'view_only'];

const toView = (a: StaffAccount): StaffAccountView => ({ id: a.id, name: a.name, role: a.role, secretKind: a.secretKind, disabled: a.disabledAt !== null, lockedUntil: a.lockedUntil !== null && a.lockedUntil > Date.now() ? a.lockedUntil : null });
const toEntry = (r: AuditRow): AuditEntryView => ({ id: r.id, at: r.at, actor: r.actorName, action: r.action, target: r.target, detail: r.detail, origin: r.origin });

function checkedName(store: Store, value: unknown, except?: number): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name || name.length > 60) throw new HandlerError('BAD_REQUEST', 'Enter a name of up to 60 characters.');
  if (store.staff.all().some((a) => a.id !== except && a.name.toLowerCase() === name.toLowerCase())) throw new HandlerError('BAD_REQUEST', `There is already an account called ${name}.`);
  return name;
}

function checkedRole(value: unknown): Role {
  if (!ROLES.includes(value as Role)) throw new HandlerError('BAD_REQUEST', 'Role must be admin, front_desk or view_only.');
  return value as Role;
}

function checkedSecret(kind: unknown, secret: unknown): { kind: SecretKind; secret: string } {
  const k: SecretKind = kind === 'password' ? 'password' : 'pin';
  const problem = secretProblem(k, secret);
  if (problem) throw new HandlerError('BAD_REQUEST', problem);
  return { kind: k, secret: secret as string };
}

function auditQuery(args: AuditQuery) {
  for (const key of ['from', 'to', 'beforeId', 'limit'] as const) {
    const v = args[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw new HandlerError('BAD_REQUEST', `${key} must be a number`);
  }
  return { actor: args.actor || undefined, action: args.action || undefined, from: args.from, to: args.to, beforeId: args.beforeId };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Accounts (admins only, by the role table) and the audit log's screen and export. */
export function registerAccountHandlers(registry: HandlerRegistry, store: Store, audit: AuditTrail): void {
  registry.register('accounts/list', () => store.staff.all().map(toView));

  registry.register('accounts/create', async (args) => {
    const name = checkedName(store, args.name);
    const role = checkedRole(args.role);
    const { kind, secret } = checkedSecret(args.secretKind, args.secret);
    return toView(store.staff.create({ name, role, secretKind: kind, secretHash: await hashSecret(secret) }, Date.now()));
  });

  registry.register('accounts/update', (args) => {
    const account = store.staff.get(Number(args.id));
    if (!account) throw new HandlerError('NOT_FOUND', 'No such account.');
    const name = args.name === undefined ? account.name : checkedName(store, args.name, account.id);
    const role = args.role === undefined ? account.role : checkedRole(args.role);
    const disabled = args.disabled === undefined ? account.disabledAt !== null : args.disabled === true;
    const staysAdmin = role === 'admin' && !disabled;
    if (account.role === 'admin' && account.disabledAt === null && !staysAdmin && store.staff.activeAdmins() <= 1) {
      throw new HandlerError('BAD_REQUEST', 'This is the last admin: make someone else an admin first.');
    }
    const now = Date.now();
    store.staff.update(account.id, { name, role, disabledAt: disabled ? (account.disabledAt ?? now) : null });
    // A disabled account, or one whose role changed, signs in again.
    if (disabled || role !== account.role) store.staff.endSessionsOf(account.id, now);
    return toView(store.staff.get(account.id)!);
  });

  registry.register('accounts/reset-secret', async (args) => {
    const account = store.staff.get(Number(args.id));
    if (!account) throw new HandlerError('NOT_FOUND', 'No such account.');
    const { kind, secret } = checkedSecret(args.secretKind, args.secret);
    const now = Date.now();
    store.staff.setSecret(account.id, kind, await hashSecret(secret), now);
    store.staff.endSessionsOf(account.id, now);
    return toView(store.staff.get(account.id)!);
  });

  registry.register('accounts/settings', (args): AccountSettingsView => {
    if (args.idleLockMinutes !== undefined) {
      if (!Number.isInteger(args.idleLockMinutes) || args.idleLockMinutes < 1 || args.idleLockMinutes > 240) throw new HandlerError('BAD_REQUEST', 'Lock after 1 to 240 minutes.');
      store.settings.set(IDLE_LOCK_SETTING, args.idleLockMinutes);
    }
    if (args.auditRetentionDays !== undefined) {
      if (!Number.isInteger(args.auditRetentionDays) || args.auditRetentionDays < 365 || args.auditRetentionDays > 36500) throw new HandlerError('BAD_REQUEST', 'Keep the audit log for 365 days or more.');
      store.settings.set(AUDIT_RETENTION_SETTING, args.auditRetentionDays);
    }
    return {
      idleLockMinutes: store.settings.get<number>(IDLE_LOCK_SETTING) ?? DEFAULT_IDLE_LOCK_MINUTES,
      auditRetentionDays: store.settings.get<number>(AUDIT_RETENTION_SETTING) ?? DEFAULT_AUDIT_RETENTION_DAYS,
    };
  });

  registry.register('audit/list', async (args) => {
    const limit = Math.min(Math.max(Number(args.limit ?? 100), 1), 500);
    const rows = store.audit.search({ ...auditQuery(args), limit });
    return { entries: rows.map(toEntry), nextBeforeId: rows.length === limit ? rows.at(-1)!.id : null, chain: await audit.verify() };
  });

  registry.register('audit/export-csv', (args) => {
    const rows = store.audit.search({ ...auditQuery(args), limit: 100_000 });
    const header = ['id', 'at', 'who', 'action', 'target', 'detail', 'from', 'hash'];
    const lines = rows.map((r) => [r.id, new Date(r.at).toISOString(), r.actorName, r.action, r.target, r.detail, r.origin, r.hash].map(csvCell).join(','));
    return { filename: `deskline-audit-${new Date().toISOString().slice(0, 10)}.csv`, csv: [header.join(','), ...lines].join('\r\n') };
  });
}
