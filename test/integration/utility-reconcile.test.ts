import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../voice-engine/src/store/index.js';
import { TwilioSim } from '../sim/twilio/index.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL } from '../harness/call-rig.js';

const UTILITY_ENTRY = resolve(import.meta.dirname, '../../voice-engine/dist/utility.js');
const PARENT_PORT_SHIM = resolve(import.meta.dirname, '../harness/electron-parent-port.mjs');
const CUT_CALL = 'CA' + 'c4'.repeat(16);

describe('crash reconcile in the desktop app', () => {
  let twilio: TwilioSim | undefined;
  let kill: (() => void) | undefined;
  afterEach(async () => {
    kill?.();
    await twilio?.close();
  });

  it('checks calls cut by a crash only once the Twilio token has arrived from the keychain', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deskline-reconcile-'));
    const store = Store.open(join(dataDir, 'deskline.sqlite'));
    store.calls.createIfAbsent({ callSid: CUT_CALL, from: '+15550601111', to: '+15550600000', status: 'in-progress', startedAt: Date.now() - 60_000 });
    store.close();
    twilio = await TwilioSim.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL });
    const child = fork(UTILITY_ENTRY, [], {
      execArgv: ['--import', PARENT_PORT_SHIM],
      env: {
        PATH: process.env.PATH, HOME: tmpdir(), DESKLINE_DATA_DIR: dataDir, DESKLINE_PUBLIC_PORT: '0', DESKLINE_DASHBOARD_PORT: '0', LOG_LEVEL: 'warn',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_API_BASE_URL: twilio.restBaseUrl, PUBLIC_BASE_URL,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    kill = () => child.kill('SIGKILL');
    await new Promise<void>((ready) => child.on('message', (m: any) => m.kind === 'parent' && m.message.type === 'ready' && ready()));
    // Started without the token: checking now would find no credentials and give up on the caller.
    await new Promise((r) => setTimeout(r, 500));
    expect(twilio.restRequests).toEqual([]);
    child.send({ kind: 'parent', message: { type: 'secrets', values: { twilioAuthToken: AUTH_TOKEN } } });
    const check = await twilio.waitForRest((r) => r.method === 'GET' && r.path.endsWith(`/Calls/${CUT_CALL}.json`), 5000);
    expect(check.authorized).toBe(true);
  });
});
