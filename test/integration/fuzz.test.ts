import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, PUBLIC_BASE_URL, startRig, type Rig } from '../harness/call-rig.js';
import { greetedCall } from '../harness/conversation.js';
import { recordValue } from '../harness/figures.js';
import { twilioSignature, type SignatureMode } from '../sim/twilio/signing.js';

/**
 * 100,000 generated requests against the built engine, from fast-check with fixed seeds
 * (so a failure replays): webhooks with valid, missing and wrong signatures, media-stream
 * messages of every shape, and staff API calls with random names, paths and bodies. One
 * real call stays on the line throughout and must not lose a frame; the engine must stay
 * up, record no internal error, and keep its memory bounded.
 */
const WEBHOOKS = 30_000;
const MEDIA_MESSAGES = 50_000;
const STAFF_REQUESTS = 20_000;
/** The engine may grow this much while answering all of it (caches, JIT), no more. */
const RSS_GROWTH_LIMIT_MB = 150;
const CONCURRENCY = 16;

const ROUTES = ['/twilio/voice', '/twilio/status', '/twilio/voicemail', '/twilio/dial-status', '/twilio/sms', '/twilio/sms-status', '/twilio/transfer/whisper', '/twilio/transfer/answer', '/', '/twilio/%', '/twilio/voice?x=%zz'];
const HANDLERS = [
  'appointments/cancel', 'appointments/create', 'appointments/list', 'appointments/move', 'calendar/status', 'calls/archive', 'calls/export-csv',
  'calls/flag', 'calls/get', 'calls/list', 'calls/search', 'clinic/get', 'clinic/update', 'closures/add', 'closures/remove', 'health/ready',
  'inbox/list', 'inbox/resolve', 'live/hang-up', 'live/list', 'live/transfer', 'logs/errors', 'logs/tail', 'providers/retire', 'providers/save',
  'services/retire', 'services/save', 'settings/get', 'settings/update', 'setup/checklist', 'status/get',
  'sms/thread', 'sms/take-over', 'sms/hand-back', 'sms/reply',
];

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function send(base: string, agent: Agent, opts: { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<number> {
  // Node's client sends a GET's body without framing unless told its length: that would be
  // a malformed request of the test's own making, not the engine's problem.
  if (opts.body !== undefined) opts.headers['Content-Length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path: opts.path, method: opts.method, headers: opts.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // A refused or reset request is an answer too; the engine being down shows elsewhere.
    req.on('error', () => resolve(0));
    req.end(opts.body);
  });
}

const formParams = fc.dictionary(
  fc.oneof(fc.constantFrom('CallSid', 'CallStatus', 'From', 'To', 'RecordingSid', 'RecordingUrl', 'DialCallStatus', 'CallDuration'), fc.string({ maxLength: 12 })),
  fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('completed', 'in-progress', 'CA' + '0'.repeat(31), 'NaN', '-1', '%', '\u0000')),
  { maxKeys: 6 },
);

const webhook = fc.record({
  path: fc.constantFrom(...ROUTES),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'),
  signature: fc.constantFrom<SignatureMode>('valid', 'valid', 'wrong', 'missing'),
  params: formParams,
  raw: fc.option(fc.string({ maxLength: 200 }), { freq: 5 }),
});

const mediaMessage = fc.oneof(
  { weight: 6, arbitrary: fc.record({ event: fc.constantFrom('media', 'mark', 'dtmf', 'connected', 'stop'), streamSid: fc.string({ maxLength: 34 }), media: fc.record({ payload: fc.base64String({ maxLength: 320 }) }), mark: fc.record({ name: fc.string({ maxLength: 8 }) }), dtmf: fc.record({ digit: fc.string({ maxLength: 2 }) }) }).map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.record({ event: fc.constant('start'), start: fc.record({ streamSid: fc.string(), callSid: fc.oneof(fc.string(), fc.constant('CA' + 'f'.repeat(32))), accountSid: fc.string() }) }).map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.record({ event: fc.constant('media'), media: fc.record({ payload: fc.string({ maxLength: 60 }) }) }).map((m) => JSON.stringify(m)) },
);

const staffRequest = fc.record({
  target: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...HANDLERS).map((h) => `/api/handlers/${h}`) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map((s) => `/api/handlers/${encodeURIComponent(s)}`) },
    { weight: 2, arbitrary: fc.constantFrom('/%', '/api/calls/%zz', '/api/calls/999999', '/api/calls?limit=-5', '/api/%E0%A4%A', '/assets/..%2f..%2fetc%2fpasswd', '/metrics', '/login?code=%', '/api/session') },
  ),
  method: fc.constantFrom('POST', 'POST', 'GET', 'DELETE'),
  body: fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 100 }), fc.constant('{"id":1e400}')),
  withToken: fc.boolean(),
});

describe('fuzzing the engine', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it(`stays up through ${WEBHOOKS + MEDIA_MESSAGES + STAFF_REQUESTS} generated requests while a real call keeps flowing`, async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }] } } });
    // The caller listens quietly throughout: the idle check must not end the call under a slow run.
    expect((await rig.handler('clinic/update', { receptionist: { idlePromptS: 120, idleHangUpS: 120 } })).ok).toBe(true);
    const { call, session } = await greetedCall(rig, '+15550901234');
    const pid = rig.engine.process.pid!;
    const rssBefore = rssMb(pid);
    const framesBefore = call.framesSent;
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

    // Webhooks: the public listener, as if from anyone on the internet (and from Twilio).
    const hooks = fc.sample(webhook, { numRuns: WEBHOOKS, seed: 9001 });
    await pool(hooks, CONCURRENCY, async (h) => {
      const body = h.raw ?? new URLSearchParams(h.params).toString();
      const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
      const sig = h.raw === null ? twilioSignature(AUTH_TOKEN, PUBLIC_BASE_URL + h.path, h.params, h.signature) : 'garbage';
      if (sig) headers['X-Twilio-Signature'] = sig;
      const status = await send(rig!.engine.publicUrl, agent, { method: h.method, path: h.path, headers, body });
      expect(status).not.toBe(0);
      expect(status).not.toBe(500);
    });

    // Media streams: signed sockets fed messages of every shape; a socket the engine closes is reopened.
    const messages = fc.sample(mediaMessage, { numRuns: MEDIA_MESSAGES, seed: 9002 });
    const wsUrl = rig.engine.publicUrl.replace('http', 'ws') + '/twilio/media';
    const signature = twilioSignature(AUTH_TOKEN, 'wss://clinic.deskline.test/twilio/media', {}, 'valid')!;
    const openSocket = () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(wsUrl, { headers: { 'X-Twilio-Signature': signature }, perMessageDeflate: false });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const perSocket = Math.ceil(messages.length / CONCURRENCY);
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, k) => {
      let ws = await openSocket();
      for (const m of messages.slice(k * perSocket, (k + 1) * perSocket)) {
        if (ws.readyState !== WebSocket.OPEN) {
          ws.terminate();
          ws = await openSocket();
        }
        ws.send(m);
        if (ws.bufferedAmount > 256 * 1024) await new Promise((r) => setTimeout(r, 1));
      }
      ws.close();
    }));

    // The staff API: real handler names with random arguments, broken paths, no token.
    const staff = fc.sample(staffRequest, { numRuns: STAFF_REQUESTS, seed: 9003 });
    await pool(staff, CONCURRENCY, async (s) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (s.withToken) headers.Authorization = `Bearer ${rig!.engine.token}`;
      const status = await send(rig!.engine.staffUrl, agent, { method: s.method, path: s.target, headers, body: s.method === 'GET' ? undefined : s.body });
      expect(status).not.toBe(0);
      expect(status).not.toBe(500);
    });
    agent.destroy();

    // Still up, still answering, nothing it could not handle.
    expect(rig.engine.process.exitCode).toBeNull();
    expect((await fetch(`${rig.engine.staffUrl}/health/live`)).status).toBe(200);
    expect(rig.query("SELECT type, message FROM system_errors WHERE type IN ('internal_error', 'unhandled_rejection', 'uncaught_exception')")).toEqual([]);
    // The real call never noticed: it was never redirected, and once it ends every frame Twilio
    // sent during the whole call (the fuzz included) has reached OpenAI.
    expect(call.redirects).toEqual([]);
    expect(call.status).toBe('in-progress');
    expect(call.framesSent - framesBefore).toBeGreaterThan(100);
    const rssAfter = rssMb(pid);
    recordValue('fuzz', 'engine RSS before', rssBefore, 'MB');
    recordValue('fuzz', 'engine RSS after 100,000 requests', rssAfter, 'MB');
    expect(rssAfter - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT_MB);
    await call.hangup();
    await session.waitFor((s) => s.inputBytes >= call.framesSent * 160, 3000);
    expect(session.inputBytes).toBe(call.framesSent * 160);
  }, 240_000);
});
