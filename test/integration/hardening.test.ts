import { request } from 'node:http';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';
import { twilioSignature } from '../sim/twilio/signing.js';

/** A raw HTTP request, so the test can send what fetch() would refuse to (bad escapes, huge headers). */
function raw(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('no request can take the engine down', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('answers bad percent-encodings, huge headers and oversized bodies with a 4xx, and keeps serving', async () => {
    rig = await startRig();
    const staff = rig.engine.staffUrl;
    // An <img src="http://127.0.0.1:8081/%"> on any web page could send this one.
    expect(await raw(staff, '/%')).toMatchObject({ status: 400, body: expect.stringContaining('malformed percent-encoding') });
    expect(await raw(staff, '/assets/%E0%A4%A')).toMatchObject({ status: 400 });
    const handler = await raw(staff, '/api/handlers/%E0%A4%A', { method: 'POST', headers: { Authorization: `Bearer ${rig.engine.token}` }, body: '{}' });
    expect(handler.status).toBe(400);
    expect((await raw(staff, '/', { headers: { 'X-Big': 'a'.repeat(20_000) } })).status).toBe(431);
    const big = await raw(rig.engine.publicUrl, '/twilio/voice', { method: 'POST', headers: { 'X-Twilio-Signature': 'x', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a='.padEnd(100_000, 'b') });
    expect(big.status).toBe(413);
    // Still up, and no internal error was needed for any of it.
    expect((await raw(staff, '/health/live')).status).toBe(200);
    expect(rig.engine.process.exitCode).toBeNull();
    expect(rig.query("SELECT * FROM system_errors WHERE type IN ('internal_error', 'unhandled_rejection', 'uncaught_exception')")).toEqual([]);
    const call = await rig.twilio.placeCall({ from: '+15550701001', to: '+15550700000' });
    expect(call.voiceResponse.streamUrl).toBeDefined();
  });

  it('slows a source that keeps sending unsigned or mis-signed webhooks with a 429, but never signed Twilio traffic', async () => {
    rig = await startRig();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await raw(rig.engine.publicUrl, '/twilio/status', { method: 'POST', headers: { 'X-Twilio-Signature': 'forged', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'CallSid=CA1' });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 20).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // Twilio shares source addresses (and a tunnel makes every request 127.0.0.1): signed requests still pass.
    const call = await rig.twilio.placeCall({ from: '+15550701002', to: '+15550700000' });
    expect(call.voiceResponse.status).toBe(200);
    expect(call.streamSid).toBeDefined();
  });

  it('closes a signed media socket that never sends start', async () => {
    rig = await startRig();
    const publicUrl = 'wss://clinic.deskline.test/twilio/media';
    const ws = new WebSocket(rig.engine.publicUrl.replace('http', 'ws') + '/twilio/media', {
      headers: { 'X-Twilio-Signature': twilioSignature('test-auth-token-4f9a2c', publicUrl, {}, 'valid')! },
    });
    const closed = await new Promise<number>((resolve, reject) => {
      ws.on('close', (code) => resolve(code));
      ws.on('error', reject);
    });
    expect(closed).toBe(1008);
  });
});
