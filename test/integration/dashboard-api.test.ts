import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { converse } from '../harness/conversation.js';
import { eventually, OPENAI_KEY, startRig, type Rig } from '../harness/call-rig.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];

describe('the dashboard API over the loopback listener', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  /** Calls a handler and returns its value, failing the test on an error reply. */
  async function value<T = any>(name: string, args: unknown = {}): Promise<T> {
    const reply = await rig.handler<T>(name, args);
    if (!reply.ok) throw new Error(`${name} failed: ${reply.error.message}`);
    return reply.value;
  }

  function loginLink(): string {
    const matches = [...rig.engine.output().matchAll(/one-time (?:dashboard )?(?:login )?link(?:: | with this one-time link: )(http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]+)/g)];
    const latest = matches.at(-1)?.[1];
    if (!latest) throw new Error(`no login link in:\n${rig.engine.output()}`);
    return latest;
  }

  it('prints a one-time login link that becomes an HttpOnly SameSite=Strict cookie, works only once, and opens only the sign-in screen', async () => {
    const link = loginLink();
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^deskline_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\//);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    const session = cookie.split(';')[0]!;
    // The link lets this browser reach the sign-in screen; it signs no one in by itself.
    const api = await fetch(`${rig.engine.staffUrl}/api/calls`, { headers: { Cookie: session } });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ ok: false, error: { code: 'SIGNED_OUT' } });
    // The WebSocket transport authenticates with the same cookie, from the dashboard's own origin only.
    const own = new WebSocket(`${rig.engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Cookie: session, Origin: rig.engine.staffUrl } });
    await new Promise((resolve, reject) => {
      own.once('open', resolve);
      own.once('error', reject);
    });
    own.close();
    const foreign = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${rig.engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Cookie: session, Origin: 'http://evil.example' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(foreign).toBe(403);
  });

  it('finds a past call by a word from its transcript, and exports the filtered view as CSV', async () => {
    rig.realtime.queueScript({ greeting: GREETING, turns: [{ user: 'Do you do microdermabrasion?', replies: [{ say: 'Yes we do.' }] }] });
    const index = rig.realtime.sessions.length;
    const call = await rig.twilio.placeCall({ from: '+15035550601', to: '+15550001234' });
    const session = await rig.realtime.waitForSession(index);
    await converse(call, session, ['Do you do microdermabrasion?']);
    await call.hangup();
    rig.realtime.queueScript({ greeting: GREETING });
    const other = await rig.twilio.placeCall({ from: '+15035550602', to: '+15550001234' });
    await eventually(() => rig.query('SELECT id FROM calls').length === 2, 3000, 'second call');
    await other.hangup();

    const found = await value('calls/search', { text: 'microderm' });
    expect(found.calls.map((c: any) => c.fromMasked)).toEqual(['••• 0601']);
    const byCaller = await value('calls/search', { caller: '0602' });
    expect(byCaller.calls.map((c: any) => c.fromMasked)).toEqual(['••• 0602']);
    // More digits, anywhere in the number (with or without the +1), and mixed with another filter.
    expect((await value('calls/search', { caller: '503555060' })).calls.map((c: any) => c.fromMasked)).toEqual(['••• 0602', '••• 0601']);
    expect((await value('calls/search', { caller: '(503) 555-0601' })).calls.map((c: any) => c.fromMasked)).toEqual(['••• 0601']);
    expect((await value('calls/search', { caller: '15035550601', text: 'microderm' })).calls.map((c: any) => c.fromMasked)).toEqual(['••• 0601']);
    expect((await value('calls/search', { caller: '5550699' })).calls).toEqual([]);
    const quoted = await rig.handler<any>('calls/search', { text: '"unbalanced (quote' });
    expect(quoted).toMatchObject({ ok: true, value: { calls: [] } });

    const csv = await rig.handler<{ filename: string; csv: string }>('calls/export-csv', { text: 'microdermabrasion' });
    expect(csv.ok).toBe(true);
    if (!csv.ok) return;
    const rows = csv.value.csv.trim().split('\r\n');
    expect(rows[0]).toBe('call_id,started_at,caller,status,outcome,duration_s,needs_action,fallback,archived,channel,intent,sentiment,satisfaction,follow_up,summary,cost_usd,reply_p50_ms,reply_p95_ms,barge_ins');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('••• 0601');
    expect(csv.value.csv).not.toContain('5035550601');

    const id = found.calls[0].id;
    expect(await rig.handler('calls/archive', { id, archived: true })).toMatchObject({ ok: true, value: { archived: true } });
    expect((await value('calls/search', { text: 'microderm' })).calls).toEqual([]);
    expect((await value('calls/search', { text: 'microderm', archived: true })).calls).toHaveLength(1);
  }, 60_000);

  it('puts flagged calls in the inbox and records who resolved them: the caller’s identity, never a typed name', async () => {
    const [call] = rig.query<{ id: number }>('SELECT id FROM calls ORDER BY id DESC LIMIT 1');
    await rig.handler('calls/flag', { id: call!.id, needsAction: true });
    const inbox = await rig.handler<any[]>('inbox/list', {});
    expect(inbox.ok && inbox.value.find((i) => i.kind === 'flagged_call' && i.id === call!.id)).toBeTruthy();
    // The API token is its own identity, `api`: a name in the request changes nothing.
    const resolved = await rig.handler<any>('inbox/resolve', { kind: 'flagged_call', id: call!.id, by: 'Maria at the desk' });
    expect(resolved).toMatchObject({ ok: true, value: { resolvedBy: 'api' } });
    const open = await rig.handler<any[]>('inbox/list', {});
    expect(open.ok && open.value.some((i) => i.kind === 'flagged_call' && i.id === call!.id)).toBe(false);
    expect(rig.events.some((e) => e.event === 'inbox.changed')).toBe(true);
  });

  it('keeps secrets write-only: shown as set, never returned, sealed in the database', async () => {
    const before = await rig.handler<any>('settings/get');
    expect(before).toMatchObject({ ok: true, value: { openai: { apiKeySet: true }, telephony: { twilioAuthTokenSet: true } } });
    expect(JSON.stringify(before)).not.toContain(OPENAI_KEY);
    // Re-entering the key the simulator accepts: later calls in this file still reach it.
    const newKey = OPENAI_KEY;
    const bad = await rig.handler('settings/update', { openai: { apiKey: newKey }, telephony: { transferNumber: '555-1234' } });
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'Transfer number must be in international form, such as +15551234567.' } });
    const saved = await rig.handler<any>('settings/update', { openai: { apiKey: newKey }, telephony: { transferNumber: '+15550107777' } });
    expect(saved).toMatchObject({ ok: true, value: { openai: { apiKeySet: true }, telephony: { transferNumber: '+15550107777' } } });
    expect(JSON.stringify(saved)).not.toContain(newKey);
    const stored = JSON.stringify(rig.query('SELECT * FROM settings'));
    expect(stored).not.toContain(newKey);
    expect(stored).toContain('secret.openaiApiKey');
  });

  it('lists live calls with their transcript, and transfers one to a number staff type in', async () => {
    rig.realtime.queueScript({ greeting: GREETING });
    const index = rig.realtime.sessions.length;
    const call = await rig.twilio.placeCall({ from: '+15035550603', to: '+15550001234' });
    const session = await rig.realtime.waitForSession(index);
    await converse(call, session, []);
    const live = await rig.handler<any[]>('live/list', {});
    expect(live.ok).toBe(true);
    if (!live.ok) return;
    const card = live.value.find((v) => v.call.callSid === call.callSid)!;
    expect(card).toMatchObject({ state: 'listening', call: { fromMasked: '••• 0603' } });
    expect(card.transcript.map((l: any) => l.text)).toEqual(['Thank you for calling Glow Med Spa.']);
    expect(await rig.handler('live/transfer', { callSid: call.callSid, to: 'front desk' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await rig.handler('live/transfer', { callSid: call.callSid, to: '+15550108888' })).toEqual({ ok: true });
    const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && 'Twiml' in r.params, 3000);
    expect(redirect.params.Twiml).toContain('+15550108888</Number></Dial>');
    await eventually(() => rig.query<{ outcome: string }>('SELECT outcome FROM calls WHERE call_sid = ?', call.callSid)[0]?.outcome === 'transferred', 5000, 'transferred');
  }, 60_000);

  it('reports status and a first-run checklist saying what is left to do', async () => {
    expect((await value('status/get')).lastBackupAt).toBeNull();
    const backup = await value('backups/run');
    expect(backup.file).toMatch(/backups\/deskline-\d{8}-\d{6}\.sqlite$/);
    const status = await value('status/get');
    expect(status.lastBackupAt).toBe(backup.at);
    expect(status).toMatchObject({ openai: { ready: true }, twilio: { ready: true }, publicUrl: { url: 'https://clinic.deskline.test' } });
    expect(status.callsToday).toBeGreaterThanOrEqual(3);
    const checklist = await rig.handler<any[]>('setup/checklist', {});
    expect(checklist.ok && checklist.value.find((i) => i.key === 'service')).toMatchObject({ done: false });
    expect(checklist.ok && checklist.value.find((i) => i.key === 'openai')).toMatchObject({ done: true });
  });
});
