import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_RULES } from '../../voice-engine/src/accounts/roles.js';
import { converse, scriptedCall } from '../harness/conversation.js';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import { ensureAccount, TEST_ADMIN, type StaffPerson } from '../harness/dashboard-sign-in.js';
import { staffSocket, type StaffSocket } from '../harness/staff-socket.js';

const ADMIN_CLI = resolve(import.meta.dirname, '../../voice-engine/dist/admin-cli.js');
const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const PEOPLE: Record<'admin' | 'front_desk' | 'view_only', StaffPerson> = {
  admin: TEST_ADMIN,
  front_desk: { name: 'Ana Desk', pin: '246810', role: 'front_desk' },
  view_only: { name: 'Vic Viewer', pin: '975310', role: 'view_only' },
};

/** People on the staff API: who may do what, what a locked screen is sent, and what the audit log keeps. */
describe('staff accounts on the engine', () => {
  let rig: Rig;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    for (const p of Object.values(PEOPLE)) ids[p.name] = await ensureAccount(rig, p);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  async function signedIn(person: StaffPerson): Promise<StaffSocket> {
    const socket = await staffSocket(rig);
    const reply = await socket.call('session/sign-in', { accountId: ids[person.name], secret: person.pin });
    if (!reply.ok) throw new Error(reply.error.message);
    return socket;
  }

  it('the login link alone signs no one in: only the sign-in screen’s handlers answer', async () => {
    const socket = await staffSocket(rig);
    expect(await socket.call('calls/list')).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    const state = await socket.call('session/state');
    expect(state).toMatchObject({ ok: true, value: { signedIn: false, needsFirstAdmin: false } });
    expect(state.ok && state.value.accounts.map((a: { name: string }) => a.name).sort()).toEqual(['Ana Desk', 'Maria Admin', 'Vic Viewer']);
    expect(JSON.stringify(state)).not.toMatch(/scrypt|246810/);
    socket.close();
  });

  it('each role against every handler in the contract: refused exactly where its rule says, by the engine', async () => {
    for (const role of ['admin', 'front_desk', 'view_only'] as const) {
      const socket = await signedIn(PEOPLE[role]);
      for (const [name, rule] of Object.entries(HANDLER_RULES)) {
        if (name.startsWith('session/') || name === 'backups/restore') continue;
        const reply = await socket.call(name, {});
        // Every handler with a rule exists in the engine (none is missing behind the table).
        expect(reply.ok || reply.error.code, name).not.toBe('UNKNOWN_HANDLER');
        const allowed = rule === 'public' || rule === 'session' || rule.includes(role);
        expect(!reply.ok && reply.error.code === 'FORBIDDEN', `${role} → ${name}`).toBe(!allowed);
      }
      socket.close();
    }
  }, 60_000);

  it('a locked dashboard is sent no transcript text and no caller numbers, only how many calls are on', async () => {
    const desk = await signedIn(PEOPLE.front_desk);
    expect(await desk.call('session/lock')).toMatchObject({ ok: true, value: { locked: true } });
    const sentBefore = desk.raw.length;
    const placed = await scriptedCall(rig, { greeting: GREETING, turns: [{ user: 'My date of birth is the fourth of July', replies: [{ say: 'Thank you, Jane.' }] }] }, '+15035550966');
    await converse(placed.call, placed.session, ['My date of birth is the fourth of July']);
    await eventually(() => desk.events.some((e) => e.event === 'calls.in-progress' && e.payload.count === 1), 5000, 'the count of calls');
    const sentWhileLocked = desk.raw.slice(sentBefore).join('\n');
    expect(sentWhileLocked).not.toMatch(/fourth of July|Thank you, Jane|0966|transcript\.line|call\.started/);
    expect(await desk.call('calls/list')).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await desk.call('session/unlock', { secret: PEOPLE.front_desk.pin })).toMatchObject({ ok: true, value: { locked: false } });
    await placed.call.hangup();
    await eventually(() => desk.events.some((e) => e.event === 'call.ended'), 5000, 'events again once unlocked');
    desk.close();
  }, 30_000);

  it('writes an audit entry for what people do, naming fields but never secret values, and the chain is intact', async () => {
    const admin = await signedIn(PEOPLE.admin);
    const [call] = rig.query<{ id: number }>('SELECT id FROM calls ORDER BY id DESC LIMIT 1');
    await admin.call('calls/get', { id: call!.id });
    await admin.call('calls/export-csv', { caller: '0966' });
    await admin.call('calls/flag', { id: call!.id, needsAction: true });
    await admin.call('settings/update', { openai: { apiKey: 'sk-audit-secret-0123456789abcdef' } });
    await admin.call('accounts/reset-secret', { id: ids['Vic Viewer'], secretKind: 'pin', secret: '864200' });
    await admin.call('session/sign-out');
    const audit = await rig.handler<{ entries: Array<{ actor: string; action: string; target: string | null; detail: string | null }>; chain: { intact: boolean } }>('audit/list', { actor: TEST_ADMIN.name });
    if (!audit.ok) throw new Error(audit.error.message);
    // Newest first: the entries this test made come before the role check's.
    const byAction = new Map([...audit.value.entries].reverse().map((e) => [e.action, e]));
    for (const action of ['sign-in', 'view-transcript', 'export-calls', 'flag-call', 'change-settings', 'account-secret-reset', 'sign-out']) expect(byAction.has(action), action).toBe(true);
    expect(byAction.get('view-transcript')!.target).toBe(`call ${call!.id}`);
    expect(byAction.get('change-settings')!.detail).toBe('openai.apiKey');
    expect(JSON.stringify(audit.value)).not.toContain('sk-audit-secret');
    expect(JSON.stringify(rig.query('SELECT * FROM audit_log'))).not.toContain('sk-audit-secret');
    expect(audit.value.chain.intact).toBe(true);
    // A failed sign-in is kept too, and the export is for admins only.
    const wrong = await staffSocket(rig);
    await wrong.call('session/sign-in', { accountId: ids['Ana Desk'], secret: '000000' });
    wrong.close();
    const failed = await rig.handler<{ entries: Array<{ action: string }> }>('audit/list', { actor: 'Ana Desk', action: 'sign-in-failed' });
    expect(failed.ok && failed.value.entries.length).toBe(1);
    const csv = await rig.handler<{ csv: string }>('audit/export-csv', {});
    expect(csv.ok && csv.value.csv.split('\r\n')[0]).toBe('id,at,who,action,target,detail,from,hash');
  });

  it('a lost last admin is recovered on the PC with `npm run admin -- reset`, which is audited', async () => {
    const run = spawnSync(process.execPath, [ADMIN_CLI, 'reset', '--name', TEST_ADMIN.name], { encoding: 'utf8', env: { PATH: process.env.PATH, DESKLINE_DATA_DIR: rig.engine.dataDir } });
    expect(run.status).toBe(0);
    const pin = /new PIN is (\d{8})/.exec(run.stdout)?.[1];
    expect(pin).toBeDefined();
    const socket = await staffSocket(rig);
    expect(await socket.call('session/sign-in', { accountId: ids[TEST_ADMIN.name], secret: TEST_ADMIN.pin })).toMatchObject({ ok: false });
    expect(await socket.call('session/sign-in', { accountId: ids[TEST_ADMIN.name], secret: pin })).toMatchObject({ ok: true, value: { session: { account: { role: 'admin' } } } });
    socket.close();
    const reset = await rig.handler<{ entries: Array<{ actor: string; origin: string; target: string }> }>('audit/list', { action: 'admin-reset' });
    expect(reset.ok && reset.value.entries).toEqual([expect.objectContaining({ actor: 'command line', origin: 'command line on this PC', target: `account ${TEST_ADMIN.name}` })]);
  });
});
