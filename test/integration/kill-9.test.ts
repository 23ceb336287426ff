import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, AUTH_TOKEN, OPENAI_KEY, PUBLIC_BASE_URL, TRANSFER_NUMBER } from '../harness/call-rig.js';
import { startEngineProcess, type EngineProcess } from '../harness/engine-process.js';
import { recordFigure, recordValue } from '../harness/figures.js';
import { seededRandom } from '../sim/seeded-random.js';
import { silence, speech } from '../sim/audio.js';
import { RealtimeSim } from '../sim/realtime/index.js';
import { TwilioSim, type SimCall } from '../sim/twilio/index.js';

/**
 * kill -9 at random moments while 20 calls talk, 20 times over the same data: every line
 * the engine reported to the dashboard (it reports only what is on disk) is still there
 * after each kill, the database passes integrity_check, and the restarted engine answers
 * a new call at once. The bound for that, stated once:
 */
const ANSWER_AFTER_RESTART_MS = 2000;
/** 20 in `npm test`; `npm run soak` runs many more (SOAK_ROUNDS). */
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 20);
const CALLS = 20;

/** Lines reported over the staff event socket: only what the storage thread has made durable. */
function listen(engine: EngineProcess, into: Map<number, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Authorization: `Bearer ${engine.token}` } });
    ws.on('message', (data) => {
      const { event, payload } = JSON.parse(data.toString()) as { event: string; payload: { id: number; text: string } };
      if (event === 'transcript.line') into.set(payload.id, payload.text);
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('kill -9 during calls', () => {
  const random = seededRandom(1909);
  let realtime: RealtimeSim | undefined;
  let twilio: TwilioSim | undefined;
  let engine: EngineProcess | undefined;
  afterAll(async () => {
    await engine?.kill();
    await twilio?.close();
    await realtime?.close();
  });

  it(`loses no reported line over ${ROUNDS} kills of ${CALLS} talking calls, and answers again at once`, async () => {
    realtime = await RealtimeSim.start({
      apiKey: OPENAI_KEY,
      script: { greeting: [{ say: 'Hello, Sunrise Dental.' }], turns: Array.from({ length: 20 }, (_, i) => ({ user: `question ${i}`, replies: [{ say: `Answer number ${i}.` }] })) },
      chunkMs: 40,
    });
    twilio = await TwilioSim.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL });
    const env = {
      OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: realtime.baseUrl, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: twilio.restBaseUrl, PUBLIC_BASE_URL, DESKLINE_TRANSFER_NUMBER: TRANSFER_NUMBER, LOG_LEVEL: 'warn',
    };
    const reported = new Map<number, string>();
    const utterance = Buffer.concat([speech('Can I ask something?'), silence(700)]);
    let dataDir: string | undefined;
    let previous: SimCall[] = [];
    let checked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const spawned = performance.now();
      engine = await startEngineProcess(env, dataDir ? { dataDir } : {});
      dataDir = engine.dataDir;
      twilio.engineUrl = engine.publicUrl;
      const events = await listen(engine, reported);
      // The restarted engine answers a new call, greeting and all, within the bound.
      const first = await twilio.placeCall({ from: '+15550990000', to: '+15550900000' });
      await first.waitFor((c) => c.playedBytes > 0, ANSWER_AFTER_RESTART_MS);
      recordFigure('kill -9', 'restart to first greeting heard', performance.now() - spawned);
      // Calls cut by the last kill are over at Twilio now.
      for (const cut of previous) await twilio.postWebhook('/twilio/status', { ...cut.callParams('completed'), CallDuration: '3' });
      const calls = await Promise.all(Array.from({ length: CALLS }, (_, i) => twilio!.placeCall({ from: `+1555099${String(round).padStart(2, '0')}${String(i).padStart(2, '0')}`, to: '+15550900000' })));
      for (const call of calls) call.say(utterance);
      // Somewhere between the first words and the answers streaming back.
      await new Promise((r) => setTimeout(r, 600 + random() * 2400));
      await engine.kill();
      events.terminate();
      previous = [first, ...calls];

      const db = new Database(engine.dbPath, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Map(db.prepare<[], { id: number; text: string }>('SELECT id, text FROM transcript_lines').all().map((l) => [l.id, l.text]));
        for (const [id, text] of reported) expect(stored.get(id), `line ${id} "${text}"`).toBe(text);
        checked = reported.size;
      } finally {
        db.close();
      }
    }
    recordValue('kill -9', `reported lines checked after ${ROUNDS} kills (lost: 0)`, checked, 'lines');
    expect(checked).toBeGreaterThan(ROUNDS * CALLS);
  }, 300_000 + ROUNDS * 10_000);
});
