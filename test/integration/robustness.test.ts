import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_BYTES, silence, speech } from '../sim/audio.js';
import { eventually, fallbackHeard, startRig, type Rig } from '../harness/call-rig.js';
import { startEngineProcess } from '../harness/engine-process.js';

describe('robustness', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('loses no caller audio at the start when OpenAI is slow to open the session', async () => {
    rig = await startRig({ realtime: { script: { turns: [{ user: 'Hi, I am calling about my appointment', replies: [{ say: 'Sure, let me help.' }] }] } } });
    rig.realtime.acceptDelayMs = 900;
    const call = await rig.twilio.placeCall({ from: '+15550301111', to: '+15550300000' });
    // The caller starts talking the moment the stream opens, before the session exists.
    call.say(Buffer.concat([speech('Hi, I am calling about my appointment'), silence(800)]));
    const session = await rig.realtime.waitForSession(0, 3000);
    await eventually(() => rig!.query("SELECT * FROM transcript_lines WHERE speaker = 'caller'").length === 1, 10_000, 'caller line');
    await call.hangup();
    await session.closed;
    expect(session.audioBeforeUpdate).toBe(0);
    expect(session.inputBytes).toBe(call.framesSent * FRAME_BYTES);
    expect(rig.query<{ text: string }>("SELECT text FROM transcript_lines WHERE speaker = 'caller'")[0]?.text).toBe('Hi, I am calling about my appointment');
  });

  it('keeps five simultaneous calls apart: each caller hears only their own conversation', async () => {
    const phrases = ['I would like a cleaning', 'Can I move my appointment', 'Do you accept new patients', 'What are your hours on Friday', 'I need to cancel tomorrow'];
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental, how can I help?' }], turns: [{ user: 'something', replies: [{ echo: true }] }] } } });
    const calls = await Promise.all(phrases.map((_, i) => rig!.twilio.placeCall({ from: `+1555030200${i}`, to: '+15550300000' })));
    await eventually(() => rig!.realtime.sessions.length === 5 && rig!.realtime.sessions.every((s) => s.responses[0]?.doneAt !== undefined), 8000, 'five greetings');
    await Promise.all(calls.map((c) => c.waitFor((call) => call.playedBytes > 0 && call.bufferedBytes === 0, 8000)));
    calls.forEach((call, i) => call.say(Buffer.concat([speech(phrases[i]!), silence(900)])));
    await eventually(() => rig!.realtime.sessions.every((s) => s.responses.length >= 2 && s.responses[1]!.doneAt !== undefined), 15_000, 'five echoes');
    await Promise.all(calls.map((c) => c.waitFor((call) => call.bufferedBytes === 0, 8000)));

    // A distinctive middle slice of each caller's own speech identifies their audio.
    const fingerprints = phrases.map((p) => speech(p).subarray(1600, 3200));
    const greetingOwners = new Set<number>();
    calls.forEach((call, i) => {
      const heard = call.played();
      fingerprints.forEach((fp, j) => expect(heard.includes(fp), `call ${i} hearing caller ${j}`).toBe(i === j));
      const owner = rig!.realtime.sessionOfAudio(heard.subarray(0, 320));
      expect(owner).toBeDefined();
      greetingOwners.add(owner!.index);
    });
    expect(greetingOwners.size).toBe(5);
    for (const session of rig.realtime.sessions) {
      const sent = session.inputAudioBuffer();
      expect(fingerprints.filter((fp) => sent.includes(fp))).toHaveLength(1);
    }
  }, 40_000);

  it('closes only the socket that sends a malformed or oversized message; other calls carry on', async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello.' }] } } });
    const [bad, huge, good] = await Promise.all([0, 1, 2].map((i) => rig!.twilio.placeCall({ from: `+1555030300${i}`, to: '+15550300000' })));
    await rig.realtime.waitForSession(2);
    bad!.sendRaw('{"event":"media","media":{"payload":"%%%not base64%%%"}}');
    huge!.sendRaw(JSON.stringify({ event: 'media', media: { payload: Buffer.alloc(100_000, 0xff).toString('base64') } }));
    const [badClose, hugeClose] = await Promise.all([bad!.closed, huge!.closed]);
    expect(badClose.code).toBe(1007);
    expect(hugeClose.code).toBe(1009);
    // Their callers are not left in silence: the stream ended, so Twilio plays the fallback after it.
    for (const call of [bad!, huge!]) expect((await fallbackHeard(call, 2000)).twiml).toContain('</Dial>');
    await eventually(() => rig!.query<{ fallback: string }>('SELECT fallback FROM calls WHERE fallback IS NOT NULL').length === 2, 2000, 'both calls marked');
    // The third call's audio still flows to its session.
    await good!.waitFor((c) => c.playedBytes >= 320, 3000);
    const goodSession = rig.realtime.sessionOfAudio(good!.played().subarray(0, 320))!;
    const before = goodSession.inputBytes;
    await goodSession.waitFor((s) => s.inputBytes >= before + 25 * FRAME_BYTES, 3000);
    expect(good!.redirects).toEqual([]);
    // And the engine takes new calls.
    const next = await rig.twilio.placeCall({ from: '+15550303009', to: '+15550300000' });
    expect(next.voiceResponse.streamUrl).toBeDefined();
    await next.waitFor((c) => c.playedBytes > 0, 5000);
  });

  it('a killed engine keeps every transcript line it had reported', async () => {
    rig = await startRig({
      realtime: {
        script: {
          greeting: [{ say: 'Hello, Sunrise Dental.' }],
          turns: [
            { user: 'I want to book a checkup', replies: [{ say: 'Happy to help. What day suits you?' }] },
            { user: 'Next Tuesday', replies: [{ say: 'Let me look at Tuesday.' }] },
          ],
        },
      },
    });
    const call = await rig.twilio.placeCall({ from: '+15550304444', to: '+15550300000' });
    const session = await rig.realtime.waitForSession(0);
    await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 5000);
    await call.waitFor((c) => c.playedBytes >= session.outputBytes, 5000);
    call.say(Buffer.concat([speech('I want to book a checkup'), silence(800)]));
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    await call.waitFor((c) => c.playedBytes >= session.outputBytes, 5000);
    call.say(Buffer.concat([speech('Next Tuesday'), silence(800)]));
    await eventually(() => rig!.events.filter((e) => e.event === 'transcript.line').length >= 4, 8000, 'four reported lines');
    await rig.engine.kill();
    const reported = rig.events.filter((e) => e.event === 'transcript.line').map((e) => e.payload.text);
    const stored = rig.query<{ text: string }>('SELECT text FROM transcript_lines ORDER BY id').map((l) => l.text);
    expect(reported.length).toBeGreaterThanOrEqual(4);
    expect(stored.slice(0, reported.length)).toEqual(reported);
    expect(stored.slice(0, 4)).toEqual(['Hello, Sunrise Dental.', 'I want to book a checkup', 'Happy to help. What day suits you?', 'Next Tuesday']);
  });

  it('a crashed engine leaves no caller in silence: Twilio plays the fallback after the stream, and a restart redirects the cut call', async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }] } } });
    const call = await rig.twilio.placeCall({ from: '+15550305555', to: '+15550300000' });
    // What Twilio does if the stream drops without a redirect: apology, then the front desk.
    expect(call.voiceResponse.verbs.map((v) => v.name)).toEqual(['Connect', 'Say', 'Dial']);
    await call.waitFor((c) => c.playedBytes > 0, 5000);
    await rig.engine.kill();
    await call.closed;
    const restarted = await startEngineProcess(rig.engineEnv, { dataDir: rig.engine.dataDir });
    try {
      const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && 'Twiml' in r.params, 5000);
      expect(redirect.params.Twiml).toContain('+15550109999</Dial>');
      const errors = rig.query<{ type: string }>('SELECT type FROM system_errors');
      expect(errors.map((e) => e.type)).toContain('engine_restarted');
    } finally {
      await restarted.stop();
    }
  });

  it('a restart leaves a call already with the front desk alone: redirecting it would cut off the caller', async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }] } } });
    const call = await rig.twilio.placeCall({ from: '+15550306666', to: '+15550300000' });
    await call.waitFor((c) => c.playedBytes > 0, 5000);
    expect(await rig.handler('live/transfer', { callSid: call.callSid })).toMatchObject({ ok: true });
    await call.waitFor((c) => c.redirects.length === 1, 3000);
    await rig.engine.kill();
    const restarted = await startEngineProcess(rig.engineEnv, { dataDir: rig.engine.dataDir });
    try {
      await rig.twilio.waitForRest((r) => r.method === 'GET' && r.path.endsWith(`/Calls/${call.callSid}.json`), 5000);
      await new Promise((r) => setTimeout(r, 500));
      expect(call.redirects).toHaveLength(1);
      expect(rig.query<{ type: string }>('SELECT type FROM system_errors').map((e) => e.type)).not.toContain('engine_restarted');
    } finally {
      await restarted.stop();
    }
  });
});
