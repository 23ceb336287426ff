import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { FRAME_BYTES, silence } from './sim/audio.js';
import { FakeEngine, type EngineSocket } from './sim/twilio/fake-engine.js';
import { TwilioSim } from './sim/twilio/index.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'fedcba9876543210fedcba9876543210';
const PUBLIC = 'https://clinic.deskline.test';
const STREAM_URL = 'wss://clinic.deskline.test/twilio/media?clinic=c1&v=2';

/** The engine's trick for pointing the real SDK at the simulator: rewrite the API origin. */
class SimHttpClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: opts.uri.replace(/^https:\/\/api\.twilio\.com/, this.base) });
  }
}

let engine: FakeEngine;
let sim: TwilioSim;

beforeAll(async () => {
  engine = await FakeEngine.start(AUTH_TOKEN, PUBLIC);
  sim = await TwilioSim.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC });
  sim.engineUrl = engine.url;
});

afterAll(async () => {
  await sim?.close();
  await engine?.close();
});

const events = (s: EngineSocket) => s.messages.map((m) => m.msg.event as string);
const sdk = () => twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new SimHttpClient(sim.restBaseUrl) });

async function connectedCall(from = '+15551230001') {
  const call = await sim.placeCall({ from, to: '+15559870000' });
  return { call, sock: await engine.socketFor(call.callSid) };
}

describe('TwilioSim webhooks', () => {
  it('signs the voice webhook over the public URL and parses the TwiML', async () => {
    const call = await sim.placeCall({ from: '+15551230001', to: '+15559870000', connectMedia: false });
    const hook = engine.webhooks.find((w) => w.params.CallSid === call.callSid)!;
    expect(hook.path).toBe('/twilio/voice');
    expect(hook.signatureValid).toBe(true);
    expect(twilio.validateRequest(AUTH_TOKEN, hook.signature!, `${PUBLIC}/twilio/voice`, hook.params)).toBe(true);
    expect(hook.params).toMatchObject({
      AccountSid: ACCOUNT_SID, From: '+15551230001', To: '+15559870000', Called: '+15559870000',
      Caller: '+15551230001', CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    });
    expect(call.callSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.voiceResponse.status).toBe(200);
    expect(call.voiceResponse.streamUrl).toBe(STREAM_URL);
    expect(call.voiceResponse.parameters).toEqual({ clinicId: 'c1', greeting: 'hi & welcome' });
    expect(call.voiceResponse.verbs.map((v) => v.name)).toEqual(['Connect']);
    expect(await call.closed).toMatchObject({ code: 0 });
  });

  it('can leave the signature off or get it wrong', async () => {
    const missing = await sim.placeCall({ from: '+1', to: '+2', signature: 'missing', connectMedia: false });
    const wrong = await sim.placeCall({ from: '+1', to: '+2', signature: 'wrong', connectMedia: false });
    const hookFor = (sid: string) => engine.webhooks.find((w) => w.params.CallSid === sid)!;
    expect(hookFor(missing.callSid).signature).toBeUndefined();
    expect(hookFor(wrong.callSid).signature).toBeTypeOf('string');
    expect(hookFor(wrong.callSid).signatureValid).toBe(false);
    expect(wrong.voiceResponse.status).toBe(403);
    expect(wrong.status).toBe('completed');
  });

  it('records other TwiML verbs and a call the TwiML hangs up', async () => {
    const saved = engine.voiceTwiml;
    engine.voiceTwiml = '<Response><Say voice="alice">We are closed</Say><Record maxLength="30"/><Hangup/></Response>';
    try {
      const call = await sim.placeCall({ from: '+1', to: '+2' });
      expect(call.voiceResponse.verbs.map((v) => [v.name, v.text])).toEqual([['Say', 'We are closed'], ['Record', ''], ['Hangup', '']]);
      expect(call.voiceResponse.verbs[1]!.attrs).toEqual({ maxLength: '30' });
      expect(call.voiceResponse.streamUrl).toBeUndefined();
      expect(call.status).toBe('completed');
    } finally {
      engine.voiceTwiml = saved;
    }
  });

  it('reports a refused media upgrade', async () => {
    const call = await sim.placeCall({ from: '+1', to: '+2', mediaSignature: 'wrong' });
    expect(call.mediaRejected).toBe(403);
    expect((await call.closed).code).toBe(1006);
  });
});

describe('TwilioSim media stream', () => {
  it('sends connected, start, then 160-byte media frames every 20 ms', async () => {
    const { call, sock } = await connectedCall();
    await sock.waitFor((m) => m.filter((x) => x.msg.event === 'media').length >= 26);
    expect(events(sock).slice(0, 3)).toEqual(['connected', 'start', 'media']);
    expect(sock.messages[0]!.msg).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    const start = sock.messages[1]!.msg;
    expect(start).toEqual({
      event: 'start', sequenceNumber: '1', streamSid: call.streamSid,
      start: {
        accountSid: ACCOUNT_SID, streamSid: call.streamSid, callSid: call.callSid, tracks: ['inbound'],
        customParameters: { clinicId: 'c1', greeting: 'hi & welcome' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    expect(call.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
    const media = sock.messages.filter((x) => x.msg.event === 'media');
    media.forEach(({ msg }, i) => {
      expect(msg.sequenceNumber).toBe(String(i + 2));
      expect(msg.media).toMatchObject({ track: 'inbound', chunk: String(i + 1), timestamp: String(i * 20) });
      expect(Buffer.from(msg.media.payload, 'base64')).toEqual(Buffer.alloc(FRAME_BYTES, 0xff));
    });
    // 25 frame intervals at 20 ms; generous bounds for a loaded CI box.
    const span = media[25]!.at - media[0]!.at;
    expect(span).toBeGreaterThan(400);
    expect(span).toBeLessThan(700);
    await call.hangup();
  });

  it('plays queued caller audio in order, sends DTMF, and hangs up with stop then a status callback', async () => {
    const { call, sock } = await connectedCall();
    const audio = Buffer.alloc(FRAME_BYTES * 3 + 40);
    for (let i = 0; i < audio.length; i++) audio[i] = i % 0x7f;
    call.say(audio);
    await call.sayDone();
    call.pressDigit('7');
    await sock.waitFor((m) => m.some((x) => x.msg.event === 'dtmf'));
    const frames = sock.messages.filter((x) => x.msg.event === 'media').map((x) => Buffer.from(x.msg.media.payload, 'base64'));
    const joined = Buffer.concat(frames);
    const at = joined.indexOf(audio.subarray(0, 16));
    expect(at % FRAME_BYTES).toBe(0);
    expect(joined.subarray(at, at + audio.length)).toEqual(audio);
    expect(joined.subarray(at + audio.length, at + 4 * FRAME_BYTES)).toEqual(Buffer.alloc(FRAME_BYTES - 40, 0xff));
    expect(sock.messages.at(-1)!.msg).toMatchObject({ event: 'dtmf', streamSid: call.streamSid, dtmf: { track: 'inbound_track', digit: '7' } });

    await call.hangup();
    const stop = sock.messages.at(-1)!.msg;
    expect(stop).toEqual({ event: 'stop', sequenceNumber: stop.sequenceNumber, streamSid: call.streamSid, stop: { accountSid: ACCOUNT_SID, callSid: call.callSid } });
    expect(Number(stop.sequenceNumber)).toBe(Number(sock.messages.at(-2)!.msg.sequenceNumber) + 1);
    expect((await sock.closed).code).toBe(1000);
    const status = engine.webhooks.find((w) => w.path === '/twilio/status' && w.params.CallSid === call.callSid)!;
    expect(status.signatureValid).toBe(true);
    expect(status.params).toMatchObject({ CallStatus: 'completed', CallDuration: '0', AccountSid: ACCOUNT_SID });
    expect(call.statusCallback?.status).toBe(200);
  });

  it('returns a mark only once the audio queued before it has played', async () => {
    const { call, sock } = await connectedCall();
    const speech = Buffer.alloc(1600, 0x11); // 200 ms, sent in sizes that do not align with frames
    const sentAt = performance.now();
    for (const part of [speech.subarray(0, 500), speech.subarray(500, 1000), speech.subarray(1000)]) {
      sock.send({ event: 'media', streamSid: call.streamSid, media: { payload: part.toString('base64') } });
    }
    sock.send({ event: 'mark', streamSid: call.streamSid, mark: { name: 'greeting' } });
    await sock.waitFor((m) => m.some((x) => x.msg.event === 'mark'));
    const back = sock.messages.find((x) => x.msg.event === 'mark')!;
    expect(back.msg).toMatchObject({ event: 'mark', streamSid: call.streamSid, mark: { name: 'greeting' } });
    expect(back.msg.sequenceNumber).toMatch(/^\d+$/);
    expect(back.at - sentAt).toBeGreaterThanOrEqual(180);
    expect(call.playedBytes).toBe(1600);
    expect(call.played()).toEqual(speech);
    expect(call.marksReturned.map((m) => m.name)).toEqual(['greeting']);

    // Nothing queued: the mark is due on the next tick.
    const emptyAt = performance.now();
    sock.send({ event: 'mark', streamSid: call.streamSid, mark: { name: 'idle' } });
    await call.waitFor((c) => c.marksReturned.length === 2);
    expect(call.marksReturned[1]!.at - emptyAt).toBeLessThan(60);
    await call.hangup();
  });

  it('clear discards unplayed audio and returns pending marks at once', async () => {
    const { call, sock } = await connectedCall();
    sock.send({ event: 'media', streamSid: call.streamSid, media: { payload: silence(2000).fill(0x22).toString('base64') } });
    sock.send({ event: 'mark', streamSid: call.streamSid, mark: { name: 'reply-1' } });
    await call.waitFor((c) => c.playedBytes >= 800);
    const clearAt = performance.now();
    sock.send({ event: 'clear', streamSid: call.streamSid });
    await sock.waitFor((m) => m.some((x) => x.msg.event === 'mark'));
    // "At once" rather than after the ~1.7 s of audio still queued; the bound leaves room for a busy box.
    expect(call.marksReturned[0]!.at - clearAt).toBeLessThan(100);
    const [clear] = call.clears;
    expect(clear!.playedBytesAtClear + clear!.discardedBytes).toBe(16000);
    expect(clear!.discardedBytes).toBeGreaterThan(14000);
    const played = call.playedBytes;
    await new Promise((r) => setTimeout(r, 100));
    expect(call.playedBytes).toBe(played);
    expect(call.bufferedBytes).toBe(0);
    await call.hangup();
  });

  it('records malformed engine messages and passes raw data through', async () => {
    const { call, sock } = await connectedCall();
    sock.send('{not json');
    sock.send({ event: 'media', streamSid: 'MZwrong', media: { payload: '' } });
    sock.send({ event: 'dance', streamSid: call.streamSid });
    await call.waitFor((c) => c.protocolErrors.length === 3);
    expect(call.protocolErrors.map((e) => e.reason)).toEqual(['malformed JSON', 'streamSid MZwrong is not this stream', 'unknown event "dance"']);
    call.sendRaw('{"event":"bogus"}');
    await sock.waitFor((m) => m.some((x) => x.msg.event === 'bogus'));
    await call.hangup();
  });

  it('paces 100 concurrent calls from one shared clock', async () => {
    const calls = await Promise.all(Array.from({ length: 100 }, (_, i) => sim.placeCall({ from: `+1555${i}`, to: '+2', recordReceived: false })));
    const sent = calls.map((c) => c.framesSent);
    await new Promise((r) => setTimeout(r, 500));
    const perCall = calls.map((c, i) => c.framesSent - sent[i]!);
    expect(Math.min(...perCall)).toBeGreaterThanOrEqual(22);
    expect(Math.max(...perCall)).toBeLessThanOrEqual(27);
    await Promise.all(calls.map((c) => c.hangup()));
  });
});

describe('TwilioSim REST API', () => {
  it('serves call update, fetch and list to the real twilio SDK', async () => {
    const client = sdk();
    const { call, sock } = await connectedCall();
    const fetched = await client.calls(call.callSid).fetch();
    expect(fetched).toMatchObject({ sid: call.callSid, status: 'in-progress', direction: 'inbound', from: call.from, to: call.to });
    expect(fetched.dateCreated).toBeInstanceOf(Date);
    expect((await client.calls.list({ status: 'in-progress' })).map((c) => c.sid)).toContain(call.callSid);

    const twiml = '<Response><Say>Connecting you</Say><Dial>+15550001111</Dial></Response>';
    const updated = await client.calls(call.callSid).update({ twiml });
    expect(updated.status).toBe('in-progress');
    expect(events(sock).slice(-1)).toEqual(['stop']);
    await sock.closed;
    expect(call.redirects).toEqual([{ at: expect.any(Number), via: 'rest', twiml }]);
    const req = await sim.waitForRest((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${call.callSid}.json`));
    expect(req).toMatchObject({ authorized: true, params: { Twiml: twiml }, status: 200 });

    await client.calls(call.callSid).update({ status: 'completed' });
    expect(call.hungUpByApi).toBe(true);
    expect((await client.calls(call.callSid).fetch()).status).toBe('completed');
    await expect(client.calls(call.callSid).update({ twiml })).rejects.toMatchObject({ status: 400, code: 21220 });
    expect((await client.calls.list({ status: 'in-progress' })).map((c) => c.sid)).not.toContain(call.callSid);
    const listReq = sim.restRequests.filter((r) => r.method === 'GET' && r.path.endsWith('/Calls.json')).at(-1)!;
    expect(listReq.params.Status).toBe('in-progress');
  });

  it('follows a Url redirect by fetching TwiML from the engine, signed', async () => {
    const { call, sock } = await connectedCall();
    await sdk().calls(call.callSid).update({ url: `${PUBLIC}/twilio/transfer`, method: 'POST' });
    await sock.closed;
    await call.waitFor((c) => c.redirects[0]?.fetchStatus !== undefined);
    expect(call.redirects[0]).toMatchObject({ url: `${PUBLIC}/twilio/transfer`, twiml: engine.transferTwiml, fetchStatus: 200 });
    const hook = engine.webhooks.filter((w) => w.path === '/twilio/transfer').at(-1)!;
    expect(hook).toMatchObject({ signatureValid: true, params: { CallSid: call.callSid, CallStatus: 'in-progress' } });
  });

  it('rejects requests without valid basic auth with 401', async () => {
    const url = `${sim.restBaseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 20003, status: 401 });
    const wrong = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:nope`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect(sim.restRequests.slice(-2).map((r) => r.authorized)).toEqual([false, false]);
  });

  it('answers unknown calls and routes with 404 and injected failures with their status', async () => {
    const client = sdk();
    await expect(client.calls(`CA${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const res = await fetch(`${sim.restBaseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Queues.json`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 20404, more_info: 'https://www.twilio.com/docs/errors/20404' });

    sim.failNextRest(503, 2);
    const msg = { to: '+15551230001', from: '+15559870000', body: 'Your appointment is confirmed.' };
    await expect(client.messages.create(msg)).rejects.toMatchObject({ status: 503 });
    await expect(client.messages.create(msg)).rejects.toMatchObject({ status: 503 });
    const sent = await client.messages.create(msg);
    expect(sent).toMatchObject({ status: 'queued', body: msg.body, to: msg.to, from: msg.from });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sim.messages.at(-1)).toMatchObject({ sid: sent.sid, body: msg.body });
  });
});
