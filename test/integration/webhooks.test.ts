import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';

describe('Twilio webhooks and the media socket', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello there, thanks for calling.' }] } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('rejects a voice webhook without a signature (400) or with a wrong one (403), storing nothing', async () => {
    const missing = await rig.twilio.placeCall({ from: '+15550001111', to: '+15550002222', signature: 'missing' });
    expect(missing.voiceResponse.status).toBe(400);
    const wrong = await rig.twilio.placeCall({ from: '+15550001111', to: '+15550002222', signature: 'wrong' });
    expect(wrong.voiceResponse.status).toBe(403);
    expect(rig.query('SELECT * FROM calls')).toEqual([]);
    expect(rig.realtime.sessions).toHaveLength(0);
    expect(rig.events.filter((e) => e.event === 'call.started')).toHaveLength(0);
  });

  let streamless: { callSid: string } | undefined;

  it('answers TwiML that connects the media stream with the call as a parameter', async () => {
    const call = await rig.twilio.placeCall({ from: '+15550003333', to: '+15550002222', connectMedia: false });
    streamless = call;
    expect(call.voiceResponse.status).toBe(200);
    expect(call.voiceResponse.streamUrl).toBe('wss://clinic.deskline.test/twilio/media');
    expect(call.voiceResponse.parameters).toEqual({ callSid: call.callSid });
  });

  it('treats a replayed webhook as the same call: one record, one Realtime session', async () => {
    const call = await rig.twilio.placeCall({ from: '+15550004444', to: '+15550002222', connectMedia: false });
    // Every stored call warms exactly one session; wait for this one's to connect.
    const callCount = () => rig.query('SELECT id FROM calls').length;
    await eventually(() => rig.realtime.sessions.length === callCount(), 3000, 'a session per call');
    const sessionsBefore = rig.realtime.sessions.length;
    const params = { CallSid: call.callSid, AccountSid: call.accountSid, From: call.from, To: call.to, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
    const replay = await rig.twilio.postWebhook('/twilio/voice', params);
    expect(replay.status).toBe(200);
    expect(replay.body).toBe(call.voiceResponse.body);
    expect(rig.query('SELECT * FROM calls WHERE call_sid = ?', call.callSid)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.realtime.sessions.length).toBe(sessionsBefore);
  });

  it('refuses a media stream with a wrong or missing signature before the upgrade, and nothing reaches OpenAI', async () => {
    for (const mediaSignature of ['wrong', 'missing'] as const) {
      const call = await rig.twilio.placeCall({ from: '+15550005555', to: '+15550002222', mediaSignature });
      expect(call.mediaRejected).toBe(403);
      const [row] = rig.query<{ id: number; status: string }>('SELECT id, status FROM calls WHERE call_sid = ?', call.callSid);
      expect(row?.status).toBe('ringing');
      expect(rig.query('SELECT * FROM transcript_lines WHERE call_id = ?', row!.id)).toEqual([]);
    }
    expect(rig.realtime.sessions.every((s) => s.inputBytes === 0)).toBe(true);
  });

  it('applies status callbacks: in-progress, then completed with Twilio’s duration', async () => {
    const call = await rig.twilio.placeCall({ from: '+15550006666', to: '+15550002222', connectMedia: false });
    const base = { CallSid: call.callSid, AccountSid: call.accountSid };
    expect((await rig.twilio.postWebhook('/twilio/status', { ...base, CallStatus: 'in-progress' })).status).toBe(204);
    expect((await rig.twilio.postWebhook('/twilio/status', { ...base, CallStatus: 'completed', CallDuration: '37' })).status).toBe(204);
    // A late, out-of-order callback must not reopen the call.
    await rig.twilio.postWebhook('/twilio/status', { ...base, CallStatus: 'ringing' });
    const [row] = rig.query<{ status: string; duration_s: number; answered_at: number | null }>('SELECT * FROM calls WHERE call_sid = ?', call.callSid);
    expect(row).toMatchObject({ status: 'completed', duration_s: 37 });
    expect(row?.answered_at).not.toBeNull();
    await eventually(() => rig.events.some((e) => e.event === 'call.ended' && e.payload.callSid === call.callSid), 2000, 'call.ended');
  });

  it('rejects a status callback with a bad signature without changing the call', async () => {
    const call = await rig.twilio.placeCall({ from: '+15550007777', to: '+15550002222', connectMedia: false });
    const res = await rig.twilio.postWebhook('/twilio/status', { CallSid: call.callSid, CallStatus: 'failed' }, 'wrong');
    expect(res.status).toBe(403);
    expect(rig.query<{ status: string }>('SELECT status FROM calls WHERE call_sid = ?', call.callSid)[0]?.status).toBe('ringing');
  });

  it('closes a warmed session that no media stream claims within 10 s, and sends that caller to the fallback', async () => {
    const callSid = streamless!.callSid;
    const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${callSid}.json`) && 'Twiml' in r.params, 12_000);
    expect(redirect.params.Twiml).toContain('<Dial');
    const [row] = rig.query<{ id: number }>('SELECT id FROM calls WHERE call_sid = ?', callSid);
    const errors = rig.query<{ type: string }>('SELECT type FROM system_errors WHERE call_id = ?', row!.id);
    expect(errors.map((e) => e.type)).toEqual(['media_stream_missing']);
    const session = rig.realtime.sessions[0]!;
    await session.closed;
    expect(session.inputBytes).toBe(0);
  }, 20_000);
});
