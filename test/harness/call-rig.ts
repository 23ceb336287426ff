import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { RealtimeSim, type RealtimeSimOptions } from '../sim/realtime/index.js';
import { TwilioSim, type SimCall } from '../sim/twilio/index.js';
import { startEngineProcess, type EngineProcess } from './engine-process.js';

export const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
export const AUTH_TOKEN = 'test-auth-token-4f9a2c';
export const OPENAI_KEY = 'sk-test-deskline-0b7e';
export const PUBLIC_BASE_URL = 'https://clinic.deskline.test';
export const TRANSFER_NUMBER = '+15550109999';

export interface Rig {
  engine: EngineProcess;
  /** The environment the engine was started with, to start another on the same data. */
  engineEnv: Record<string, string>;
  twilio: TwilioSim;
  realtime: RealtimeSim;
  /** A read-only view of the engine's database file, opened fresh for each query. */
  query<T>(sql: string, ...params: unknown[]): T[];
  setSetting(key: string, value: unknown): void;
  api<T>(path: string): Promise<{ status: number; body: T }>;
  /** Calls an engine handler over the staff API, as the dashboard does. */
  handler<T = any>(name: string, args?: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  /** Engine events as received over the staff WebSocket. */
  events: Array<{ event: string; payload: any }>;
  close(): Promise<void>;
}

export interface RigOptions {
  realtime?: Partial<RealtimeSimOptions>;
  engineEnv?: Record<string, string>;
  /** Start with the Realtime simulator down, as if OpenAI were unreachable. */
  openaiDown?: boolean;
  /**
   * Error codes the Realtime sim is expected to refuse with in this test (e.g. a wrong voice
   * name). Any other refusal, and any protocol error the Twilio sim recorded, fails the test.
   */
  expectRefusals?: string[];
  /** Runs another entry instead of the built engine (e.g. the engine with an injected disk), as node arguments. */
  engineArgs?: string[];
}

/** What the simulators had to refuse during a test: each one is an engine protocol mistake. */
export function simulatorComplaints(twilio: TwilioSim, realtime: RealtimeSim, expected: readonly string[] = []): string[] {
  const complaints: string[] = [];
  for (const s of realtime.sessions) {
    for (const e of s.refusals) if (!expected.includes(e.code)) complaints.push(`Realtime sim session ${s.index} refused: ${e.code}: ${e.message}`);
  }
  for (const c of twilio.calls) {
    for (const e of c.protocolErrors) complaints.push(`Twilio sim call ${c.callSid}: ${e.reason}: ${e.data.slice(0, 200)}`);
  }
  return complaints;
}

/** The engine as its own process between a Twilio simulator and a Realtime simulator. */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const realtime = await RealtimeSim.start({ apiKey: OPENAI_KEY, ...options.realtime });
  const twilio = await TwilioSim.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL });
  const realtimeBase = realtime.baseUrl;
  if (options.openaiDown) await realtime.close();
  const engineEnv = {
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: realtimeBase,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: twilio.restBaseUrl,
    PUBLIC_BASE_URL,
    DESKLINE_TRANSFER_NUMBER: TRANSFER_NUMBER,
    ...options.engineEnv,
  };
  const engine = await startEngineProcess(engineEnv, options.engineArgs ? { args: options.engineArgs } : {});
  twilio.engineUrl = engine.publicUrl;

  const events: Rig['events'] = [];
  const ws = new WebSocket(`${engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Authorization: `Bearer ${engine.token}` } });
  ws.on('message', (data) => events.push(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  const withDb = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(engine.dbPath, { fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  return {
    engine,
    engineEnv,
    twilio,
    realtime,
    events,
    query: <T>(sql: string, ...params: unknown[]) => withDb((db) => db.prepare(sql).all(...params) as T[]),
    setSetting: (key, value) =>
      withDb((db) => {
        db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value), Date.now());
      }),
    api: async <T>(path: string) => {
      const res = await fetch(`${engine.staffUrl}${path}`, { headers: { Authorization: `Bearer ${engine.token}` } });
      return { status: res.status, body: (await res.json()) as T };
    },
    handler: async (name, args = {}) => {
      const res = await fetch(`${engine.staffUrl}/api/handlers/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${engine.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await res.json()) as never;
    },
    async close() {
      ws.close();
      const complaints = simulatorComplaints(twilio, realtime, options.expectRefusals);
      await engine.stop();
      await twilio.close();
      if (!options.openaiDown) await realtime.close();
      if (complaints.length > 0) throw new Error(`The simulators refused what the real services would refuse:\n${complaints.join('\n')}`);
    },
  };
}

/**
 * The fallback TwiML the caller got, whichever way it came: Twilio running the verbs after
 * </Connect> once the engine ended the stream, or a REST redirect. Resolves with the first.
 */
export async function fallbackHeard(call: SimCall, timeoutMs: number): Promise<{ twiml: string; via: 'rest' | 'after-connect'; at: number }> {
  await call.waitFor((c) => c.redirects.some((r) => r.twiml !== ''), timeoutMs);
  const first = call.redirects.find((r) => r.twiml !== '')!;
  return { twiml: first.twiml, via: first.via, at: first.at };
}

/** Polls until the check passes; for conditions that come from another process. */
export async function eventually<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
