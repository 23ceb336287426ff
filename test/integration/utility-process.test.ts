import Database from 'better-sqlite3';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const UTILITY_ENTRY = resolve(import.meta.dirname, '../../voice-engine/dist/utility.js');
const PARENT_PORT_SHIM = resolve(import.meta.dirname, '../harness/electron-parent-port.mjs');

type FromEngine = { kind: 'parent'; message: any } | { kind: 'port'; id: number; data: any };

describe('the engine inside the desktop shell (utilityProcess protocol)', () => {
  let child: ChildProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'deskline-utility-'));
  const received: FromEngine[] = [];
  const next = (match: (m: FromEngine) => boolean, timeoutMs = 10_000) =>
    new Promise<FromEngine>((resolvePromise, reject) => {
      const found = received.find(match);
      if (found) return resolvePromise(found);
      const timer = setTimeout(() => reject(new Error('engine did not answer')), timeoutMs);
      child.on('message', (m: FromEngine) => {
        if (match(m)) {
          clearTimeout(timer);
          resolvePromise(m);
        }
      });
    });

  beforeAll(async () => {
    child = fork(UTILITY_ENTRY, [], {
      execArgv: ['--import', PARENT_PORT_SHIM],
      env: { PATH: process.env.PATH, HOME: tmpdir(), DESKLINE_DATA_DIR: dataDir, DESKLINE_PUBLIC_PORT: '0', DESKLINE_DASHBOARD_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.on('message', (m: FromEngine) => received.push(m));
  });
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('says it is ready with its ports, and answers pings', async () => {
    const ready = await next((m) => m.kind === 'parent' && m.message.type === 'ready');
    expect(ready).toMatchObject({ message: { publicPort: expect.any(Number), dashboardPort: expect.any(Number) } });
    child.send({ kind: 'parent', message: { type: 'ping', id: 7 } });
    expect(await next((m) => m.kind === 'parent' && m.message.type === 'pong')).toEqual({ kind: 'parent', message: { type: 'pong', id: 7 } });
  });

  it('serves the same contract over a renderer port as over the WebSocket, to a signed-in person only', async () => {
    child.send({ kind: 'open-port', id: 1 });
    child.send({ kind: 'port', id: 1, data: { id: 40, handler: 'calls/list', args: {} } });
    expect(await next((m) => m.kind === 'port' && m.data.id === 40)).toMatchObject({ data: { reply: { ok: false, error: { code: 'SIGNED_OUT' } } } });
    // The desktop window's first run: the first admin is made, and signed in, on this port.
    child.send({ kind: 'port', id: 1, data: { id: 41, handler: 'session/first-admin', args: { name: 'Maria', secretKind: 'pin', secret: '482913' } } });
    expect(await next((m) => m.kind === 'port' && m.data.id === 41)).toMatchObject({ data: { reply: { ok: true, value: { session: { signedIn: true, account: { name: 'Maria', role: 'admin' } } } } } });
    child.send({ kind: 'port', id: 1, data: { id: 42, handler: 'calls/list', args: {} } });
    expect(await next((m) => m.kind === 'port' && m.data.id === 42)).toEqual({ kind: 'port', id: 1, data: { id: 42, reply: { ok: true, value: [] } } });
    child.send({ kind: 'port', id: 1, data: { id: 43, handler: 'no/such', args: {} } });
    expect(await next((m) => m.kind === 'port' && m.data.id === 43)).toMatchObject({ data: { reply: { ok: false, error: { code: 'UNKNOWN_HANDLER' } } } });
  });

  it('takes secrets from the shell without ever writing them to the database', async () => {
    child.send({ kind: 'port', id: 1, data: { id: 50, handler: 'settings/get', args: {} } });
    expect(await next((m) => m.kind === 'port' && m.data.id === 50)).toMatchObject({ data: { reply: { value: { openai: { apiKeySet: false } } } } });
    child.send({ kind: 'parent', message: { type: 'secrets', values: { openaiApiKey: 'sk-from-the-os-keychain-123456' } } });
    child.send({ kind: 'port', id: 1, data: { id: 51, handler: 'settings/get', args: {} } });
    const after = await next((m) => m.kind === 'port' && m.data.id === 51);
    expect(after).toMatchObject({ data: { reply: { value: { openai: { apiKeySet: true } } } } });
    expect(JSON.stringify(after)).not.toContain('sk-from-the-os-keychain');
  });

  it('hands a secret entered in Settings to the shell for the OS keychain instead of keeping it on disk', async () => {
    const key = 'sk-typed-into-settings-0123456789';
    child.send({ kind: 'port', id: 1, data: { id: 60, handler: 'settings/update', args: { openai: { apiKey: key } } } });
    expect(await next((m) => m.kind === 'port' && m.data.id === 60)).toMatchObject({ data: { reply: { ok: true } } });
    expect(await next((m) => m.kind === 'parent' && m.message.type === 'secret-update')).toEqual({ kind: 'parent', message: { type: 'secret-update', name: 'openaiApiKey', value: key } });
    const db = new Database(join(dataDir, 'deskline.sqlite'), { readonly: true });
    expect(JSON.stringify(db.prepare('SELECT * FROM settings').all())).not.toContain('openaiApiKey');
    db.close();
  });

  it('refuses to run outside the desktop app with one clear line', () => {
    const run = spawnSync(process.execPath, [UTILITY_ENTRY], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('voice-engine/dist/utility.js runs inside the Deskline desktop app; to run the engine on its own use npm run serve.');
  });
});
