import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../voice-engine/src/store/migrations/index.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { AuditTrail } from '../../voice-engine/src/accounts/audit-trail.js';
import { SessionService, IDLE_LOCK_SETTING } from '../../voice-engine/src/accounts/session-service.js';
import { hashSecret, verifySecret, secretProblem } from '../../voice-engine/src/accounts/secret-hash.js';
import { HandlerRegistry } from '../../voice-engine/src/api/registry.js';
import { StaffGate, type StaffConnection } from '../../voice-engine/src/accounts/staff-gate.js';
import { registerAccountHandlers } from '../../voice-engine/src/accounts/account-handlers.js';
import { AUDITED_HANDLERS } from '../../voice-engine/src/accounts/audited-handlers.js';

const MIN = 60_000;

async function setUp() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const store = new Store(db);
  let now = Date.UTC(2026, 11, 7, 9, 0);
  const clock = () => now;
  const audit = new AuditTrail(store, clock);
  const sessions = new SessionService(store, audit, clock);
  const handlers = new HandlerRegistry();
  registerAccountHandlers(handlers, store, audit);
  handlers.register('calls/list', () => []);
  handlers.register('inbox/resolve', (_args, caller) => ({ resolvedBy: caller.name }) as never);
  const gate = new StaffGate({ handlers, store, sessions, audit, callsInProgress: () => 2, now: clock });
  const ana = store.staff.create({ name: 'Ana', role: 'front_desk', secretKind: 'pin', secretHash: await hashSecret('246810') }, now);
  const boss = store.staff.create({ name: 'Bo', role: 'admin', secretKind: 'pin', secretHash: await hashSecret('135790') }, now);
  const conn = (): StaffConnection & { seen: unknown[] } => {
    const seen: unknown[] = [];
    return { origin: 'desktop window', api: false, sessionHash: null, notify: (v) => seen.push(v), seen };
  };
  return { store, audit, sessions, gate, ana, boss, conn, advance: (ms: number) => (now += ms) };
}

describe('secrets', () => {
  it('are kept only as scrypt hashes, and a PIN is at least 6 digits', async () => {
    const hash = await hashSecret('246810');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain('246810');
    expect(await verifySecret('246810', hash)).toBe(true);
    expect(await verifySecret('246811', hash)).toBe(false);
    expect(secretProblem('pin', '12345')).toMatch(/6 to 12 digits/);
    expect(secretProblem('pin', '12345a')).toMatch(/6 to 12 digits/);
    expect(secretProblem('password', 'short')).toMatch(/at least 10/);
    expect(secretProblem('pin', '123456')).toBeNull();
  });
});

describe('sign-in, the idle lock and roles', () => {
  it('a signed-in person is locked out after the idle time on the engine’s clock, sees only a count of calls, and unlocks with their PIN', async () => {
    const { gate, ana, conn, advance, store } = await setUp();
    store.settings.set(IDLE_LOCK_SETTING, 10);
    const desk = conn();
    expect(await gate.call(desk, 'calls/list', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    const signedIn = await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '246810' });
    expect(signedIn).toMatchObject({ ok: true, value: { session: { signedIn: true, locked: false, account: { name: 'Ana', role: 'front_desk' } } } });
    expect(await gate.call(desk, 'calls/list', {})).toEqual({ ok: true, value: [] });
    advance(9 * MIN);
    await gate.call(desk, 'session/activity', {});
    advance(9 * MIN);
    expect(gate.mayWatch(desk)).toBe(true);
    advance(2 * MIN);
    expect(gate.mayWatch(desk)).toBe(false);
    expect(await gate.call(desk, 'calls/list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(gate.view(desk)).toMatchObject({ locked: true, callsInProgress: 2 });
    expect(await gate.call(desk, 'session/unlock', { secret: '000000' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'That PIN is not right.' } });
    expect(await gate.call(desk, 'session/unlock', { secret: '246810' })).toMatchObject({ ok: true, value: { locked: false } });
    expect(await gate.call(desk, 'calls/list', {})).toMatchObject({ ok: true });
  });

  it('a role is held to its handlers; attributions come from the account, never typed', async () => {
    const { gate, ana, conn, audit, store } = await setUp();
    const desk = conn();
    await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '246810' });
    expect(await gate.call(desk, 'accounts/list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await gate.call(desk, 'inbox/resolve', { kind: 'message', id: 1, by: 'Someone Else' })).toEqual({ ok: true, value: { resolvedBy: 'Ana' } });
    const entries = store.audit.search({ limit: 10 });
    expect(entries.map((e) => [e.actorName, e.action, e.target])).toEqual([
      ['Ana', 'resolve-inbox-item', 'message 1'],
      ['Ana', 'refused', 'accounts/list'],
      ['Ana', 'sign-in', null],
    ]);
    expect((await audit.verify()).intact).toBe(true);
  });

  it('wrong PINs make the account wait longer each time; the right PIN is refused while it waits', async () => {
    const { gate, ana, conn, advance } = await setUp();
    const desk = conn();
    for (let i = 0; i < 4; i++) expect(await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '111111' })).toMatchObject({ ok: false, error: { message: 'That PIN is not right.' } });
    expect(await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '111111' })).toMatchObject({ ok: false, error: { message: /try again in 30 s/ } });
    expect(await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '246810' })).toMatchObject({ ok: false, error: { message: /Try again in 30 s/ } });
    advance(31_000);
    expect(await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '111111' })).toMatchObject({ ok: false, error: { message: /try again in 60 s/ } });
    advance(61_000);
    expect(await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '246810' })).toMatchObject({ ok: true });
  });

  it('a session ends when its account is disabled or its PIN is changed by an admin; the last admin cannot be removed', async () => {
    const { gate, ana, boss, conn } = await setUp();
    const desk = conn();
    const admin = conn();
    await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '246810' });
    await gate.call(admin, 'session/sign-in', { accountId: boss.id, secret: '135790' });
    expect(await gate.call(admin, 'accounts/reset-secret', { id: ana.id, secretKind: 'pin', secret: '999999' })).toMatchObject({ ok: true });
    expect(await gate.call(desk, 'calls/list', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    await gate.call(desk, 'session/sign-in', { accountId: ana.id, secret: '999999' });
    expect(await gate.call(admin, 'accounts/update', { id: ana.id, disabled: true })).toMatchObject({ ok: true, value: { disabled: true } });
    expect(await gate.call(desk, 'calls/list', {})).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    expect(await gate.call(admin, 'accounts/update', { id: boss.id, role: 'front_desk' })).toMatchObject({ ok: false, error: { message: /last admin/ } });
    // A resumed session after a reload is the same session, locked or not.
    const token = ((await gate.call(conn(), 'session/sign-in', { accountId: boss.id, secret: '135790' })) as { ok: true; value: { token: string } }).value.token;
    const reloaded = conn();
    expect(await gate.call(reloaded, 'session/resume', { token })).toMatchObject({ ok: true, value: { signedIn: true, account: { name: 'Bo' } } });
    expect(await gate.call(reloaded, 'session/resume', { token: 'made-up' })).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
  });
});

describe('the audit log', () => {
  it('every audited handler leaves an entry naming its action when a person calls it', async () => {
    const { store, conn } = await setUp();
    // The accounts were made on setUp's clock; this gate runs a minute after it.
    const clock = () => Date.UTC(2026, 11, 7, 9, 1);
    const audit = new AuditTrail(store, clock);
    const handlers = new HandlerRegistry();
    for (const name of AUDITED_HANDLERS) handlers.register(name, () => ({ id: 7, name: 'Ana', file: '/data/backups/deskline-20261207.sqlite' }) as never);
    const gate = new StaffGate({ handlers, store, sessions: new SessionService(store, audit, clock), audit, callsInProgress: () => 0, now: clock });
    const admin = conn();
    const boss = store.staff.all().find((a) => a.role === 'admin')!;
    await gate.call(admin, 'session/sign-in', { accountId: boss.id, secret: '135790' });
    for (const name of AUDITED_HANDLERS) {
      const before = store.audit.last()!.id;
      expect(await gate.call(admin, name, { id: 3, callId: 4, callSid: 'CA1', kind: 'message', needsAction: true, archived: true, file: 'b.sqlite', role: 'front_desk' }), name).toMatchObject({ ok: true });
      const entry = store.audit.last()!;
      expect(entry.id, name).toBe(before + 1);
      expect(entry.actorName).toBe('Bo');
      expect(entry.action, name).toMatch(/^[a-z-]+$/);
    }
    expect((await audit.verify()).intact).toBe(true);
  });

  async function chainOfFive() {
    const { store, audit } = await setUp();
    for (let i = 1; i <= 5; i++) audit.record({ id: 1, name: 'Ana' }, 'view-transcript', 'desktop window', `call ${i}`);
    expect(await audit.verify()).toEqual({ intact: true, checked: 5, problem: null });
    // Someone with the database file: the append-only triggers first.
    store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    return { store, audit };
  }

  it('refuses changes through SQL while its triggers stand', async () => {
    const { store, audit } = await setUp();
    audit.record({ id: 1, name: 'Ana' }, 'sign-in', 'desktop window');
    expect(() => store.db.prepare("UPDATE audit_log SET actor_name = 'Bo'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it('an edited entry is found', async () => {
    const { store, audit } = await chainOfFive();
    store.db.prepare("UPDATE audit_log SET target = 'call 99' WHERE id = 3").run();
    expect(await audit.verify()).toMatchObject({ intact: false, problem: 'Entry 3 has been changed since it was written.' });
  });

  it('a deleted entry is found, in the middle or the newest', async () => {
    const { store, audit } = await chainOfFive();
    store.db.prepare('DELETE FROM audit_log WHERE id = 5').run();
    expect(await audit.verify()).toMatchObject({ intact: false, problem: /newest entries/ });
    store.db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(await audit.verify()).toMatchObject({ intact: false, problem: 'Entry 3 does not follow the entry before it: an entry was removed or inserted there.' });
  });

  it('an entry inserted in the middle is found, even one with a correct hash of its own', async () => {
    const { store, audit } = await chainOfFive();
    store.db.exec('UPDATE audit_log SET id = id + 100 WHERE id >= 3; UPDATE audit_log SET id = id - 99 WHERE id >= 100;');
    const before = store.db.prepare('SELECT hash FROM audit_log WHERE id = 2').get() as { hash: string };
    const { createHash } = await import('node:crypto');
    const forged = [1, 1, 'Ana', 'sign-in', null, null, 'desktop window'];
    const hash = createHash('sha256').update(before.hash).update('\n').update(JSON.stringify(forged)).digest('hex');
    store.db.prepare("INSERT INTO audit_log (id, at, actor_id, actor_name, action, target, detail, origin, prev_hash, hash) VALUES (3, 1, 1, 'Ana', 'sign-in', NULL, NULL, 'desktop window', ?, ?)").run(before.hash, hash);
    expect(await audit.verify()).toMatchObject({ intact: false, problem: 'Entry 4 does not follow the entry before it: an entry was removed or inserted there.' });
  });

  it('retention removes only old entries, and the chain is still whole afterwards', async () => {
    const { store, audit } = await setUp();
    const old = new AuditTrail(store, () => Date.UTC(2019, 0, 1));
    old.record({ id: 1, name: 'Ana' }, 'sign-in', 'desktop window');
    old.record({ id: 1, name: 'Ana' }, 'sign-out', 'desktop window');
    audit.record({ id: 1, name: 'Ana' }, 'sign-in', 'desktop window');
    expect(store.audit.purgeOlderThan(Date.UTC(2021, 0, 1), 100)).toBe(2);
    expect(store.audit.search({ limit: 10 }).map((e) => e.action)).toEqual(['sign-in']);
    expect(await audit.verify()).toEqual({ intact: true, checked: 1, problem: null });
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});
