import type { HandlerName, Reply, SessionView } from '../contract.js';
import type { HandlerRegistry, Caller, CallerChannel } from '../api/registry.js';
import type { Store } from '../store/index.js';
import type { AuditTrail } from './audit-trail.js';
import { auditEntryFor } from './audited-handlers.js';
import { allows, HANDLER_RULES } from './roles.js';
import type { ActiveSession, SessionService } from './session-service.js';
import { sessionHandler, SESSION_HANDLERS } from './session-handlers.js';

/** One dashboard connection (a browser's WebSocket, the desktop window's port, one API request). */
export interface StaffConnection {
  /** In words, for the audit log: "desktop window", "browser on this PC", "API token". */
  origin: string;
  /** Holds the staff API token: acts as the `api` identity, with admin rights. */
  api: boolean;
  /** The signed-in person's session, by its token's hash. */
  sessionHash: string | null;
  /** Tells this connection only that its session changed. */
  notify?(view: SessionView): void;
  /** Events for this connection alone (a test call's audio); absent for plain HTTP. */
  channel?: CallerChannel;
}

/** A transcript opened again by the same person within this long is one viewing (the panel refreshes as a call updates). */
const SAME_VIEWING_MS = 10 * 60 * 1000;

/**
 * Every dashboard and API request passes here: who is asking, whether their screen is
 * locked, whether their role may, then the handler, then the audit entry. Nothing is
 * refused only in the UI; nothing a role may not do reaches a handler.
 */
export class StaffGate {
  private readonly viewings = new Map<string, number>();

  constructor(
    readonly deps: { handlers: HandlerRegistry; store: Store; sessions: SessionService; audit: AuditTrail; callsInProgress: () => number; now?: () => number },
  ) {}

  /** The person behind a connection right now (idle lock applied), or null. */
  session(conn: StaffConnection): ActiveSession | null {
    if (!conn.sessionHash) return null;
    const s = this.deps.sessions.refresh(conn.sessionHash, conn.origin);
    if (!s) conn.sessionHash = null;
    return s;
  }

  view(conn: StaffConnection): SessionView {
    const s = conn.api ? null : this.session(conn);
    const accounts = this.deps.store.staff.all().filter((a) => a.disabledAt === null);
    return {
      signedIn: conn.api || s !== null,
      account: s ? s.account : conn.api ? { id: 0, name: 'api', role: 'admin' } : null,
      locked: s?.locked ?? false,
      idleLockMinutes: this.deps.sessions.idleLockMs() / 60_000,
      needsFirstAdmin: this.deps.store.staff.activeAdmins() === 0,
      accounts: accounts.map((a) => ({ id: a.id, name: a.name, role: a.role, secretKind: a.secretKind })),
      callsInProgress: this.deps.callsInProgress(),
    };
  }

  /** May this connection be sent what calls are saying (transcripts, numbers)? Only a signed-in, unlocked one. */
  mayWatch(conn: StaffConnection): boolean {
    if (conn.api) return true;
    const s = this.session(conn);
    return s !== null && !s.locked;
  }

  /** Never throws: whatever goes wrong comes back as a reply. */
  async call(conn: StaffConnection, name: string, args: unknown): Promise<Reply<unknown>> {
    try {
      return await this.gated(conn, name, args);
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: 'The engine could not complete that request; see the engine log.' } };
    }
  }

  private async gated(conn: StaffConnection, name: string, args: unknown): Promise<Reply<unknown>> {
    // Own keys only: a request for "constructor" or "__proto__" is just an unknown handler.
    const rule = Object.hasOwn(HANDLER_RULES, name) ? HANDLER_RULES[name as HandlerName] : undefined;
    if (rule === undefined) return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `No handler named "${name}"` } };
    if (SESSION_HANDLERS.has(name)) return sessionHandler(this, conn, name, args);
    if (rule === 'public') return this.deps.handlers.call(name, args);
    const person = conn.api ? null : this.session(conn);
    if (!conn.api && !person) return { ok: false, error: { code: 'SIGNED_OUT', message: 'Sign in to Deskline first.' } };
    if (person?.locked) return { ok: false, error: { code: 'LOCKED', message: 'The screen is locked: enter your PIN to unlock it.' } };
    const caller: Caller = person
      ? { id: person.account.id, name: person.account.name, role: person.account.role, origin: conn.origin, channel: conn.channel }
      : { id: null, name: 'api', role: 'admin' as const, origin: conn.origin, channel: conn.channel };
    if (rule !== 'session' && !allows(rule, caller.role)) {
      this.deps.audit.record(caller, 'refused', conn.origin, name, `not allowed for ${caller.role.replace('_', ' ')}`);
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Your account cannot do that. Ask an admin.' } };
    }
    const reply = await this.deps.handlers.call(name, args, caller);
    if (reply.ok) this.audit(caller, name as HandlerName, args, reply.value);
    return reply;
  }

  private audit(caller: Caller, name: HandlerName, args: unknown, value: unknown): void {
    const entry = auditEntryFor(name, args as Record<string, unknown>, value);
    if (!entry) return;
    if (entry.action === 'view-transcript') {
      const key = `${caller.id ?? caller.name}:${entry.target}`;
      const now = (this.deps.now ?? Date.now)();
      if (now - (this.viewings.get(key) ?? -Infinity) < SAME_VIEWING_MS) return;
      this.viewings.set(key, now);
      if (this.viewings.size > 5000) this.viewings.clear();
    }
    this.deps.audit.record(caller, entry.action, caller.origin, entry.target ?? null, entry.detail ?? null);
  }
}
