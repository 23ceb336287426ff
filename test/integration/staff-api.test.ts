import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runEngineExpectingFailure, startEngineProcess, type EngineProcess } from '../harness/engine-process.js';
import { LATEST_SCHEMA_VERSION } from '../../voice-engine/src/store/migrations/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('headless engine without credentials', () => {
  let engine: EngineProcess;
  beforeAll(async () => {
    engine = await startEngineProcess({});
  });
  afterAll(async () => {
    await engine.stop();
  });

  it('is live, and not ready with a reason for each missing piece', async () => {
    const live = await fetch(`${engine.staffUrl}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${engine.staffUrl}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { ok: true; value: { ready: boolean; checks: Record<string, { ready: boolean; reason?: string }> } };
    expect(body.value.ready).toBe(false);
    expect(body.value.checks.database).toEqual({ ready: true });
    expect(body.value.checks.openai?.reason).toMatch(/OPENAI_API_KEY/);
    expect(body.value.checks.twilio?.reason).toMatch(/TWILIO_ACCOUNT_SID/);
    expect(body.value.checks.publicUrl?.reason).toMatch(/PUBLIC_BASE_URL/);
  });

  it('names each missing setting once at start-up, without a stack trace', () => {
    expect(engine.output()).toMatch(/OPENAI_API_KEY is not set/);
    expect(engine.output()).not.toMatch(/\n\s+at /);
  });

  it('requires the bearer token for the API and the event stream', async () => {
    expect((await fetch(`${engine.staffUrl}/api/calls`)).status).toBe(401);
    expect((await fetch(`${engine.staffUrl}/api/calls`, { headers: { Authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const ok = await fetch(`${engine.staffUrl}/api/calls`, { headers: { Authorization: `Bearer ${engine.token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: [] });
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${engine.staffUrl.replace('http', 'ws')}/api/events`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
  });

  it('refuses API calls from another web origin', async () => {
    const res = await fetch(`${engine.staffUrl}/api/calls`, { headers: { Authorization: `Bearer ${engine.token}`, Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('answers an unknown call id with a typed NOT_FOUND reply', async () => {
    const res = await fetch(`${engine.staffUrl}/api/calls/424242`, { headers: { Authorization: `Bearer ${engine.token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No call with id 424242' } });
  });

  it('answers handler calls over the event socket with replies', async () => {
    const ws = new WebSocket(`${engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Authorization: `Bearer ${engine.token}` } });
    await new Promise((resolve) => ws.on('open', resolve));
    const reply = new Promise<unknown>((resolve) => ws.on('message', (d) => resolve(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ id: 7, handler: 'calls/list', args: { limit: 5 } }));
    expect(await reply).toEqual({ id: 7, reply: { ok: true, value: [] } });
    ws.close();
  });
});

describe('engine start-up refusals', () => {
  it('refuses an invalid setting with one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-bad-'));
    const { code, output } = await runEngineExpectingFailure({ DESKLINE_DATA_DIR: dir, PUBLIC_BASE_URL: 'http://insecure.example' });
    expect(code).toBe(2);
    expect(output.trim()).toBe('Deskline cannot start: PUBLIC_BASE_URL must start with https:// (got "http://insecure.example").');
  });

  it('refuses a database from a newer version without touching it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-newer-'));
    const db = new Database(join(dir, 'deskline.sqlite'));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const { code, output } = await runEngineExpectingFailure({ DESKLINE_DATA_DIR: dir });
    expect(code).toBe(2);
    expect(output).toMatch(/^Deskline cannot start: The database was written by a newer Deskline/m);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
