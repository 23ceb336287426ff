import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { silence, speech } from '../sim/audio.js';
import { eventually, fallbackHeard, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';
import { recordFigure } from '../harness/figures.js';
import { greetedCall } from '../harness/conversation.js';
import type { Script, SimSession } from '../sim/realtime/index.js';
import type { SimCall } from '../sim/twilio/index.js';

/**
 * When the receptionist stops working in an ordinary way, the caller hears the fallback
 * (apology, then the front desk) within the bound, the OpenAI session is closed, and the
 * reason is on record. The bounds, stated once:
 */
/** A refused or failed session or reply: the fallback follows at once (the product promise is 2 s). */
const IMMEDIATE_MS = 2000;
/** No reply: the supervisor waits 5 s after the caller stops speaking, then the fallback. */
const NO_REPLY_MS = 5000 + 1500;
/** A session closed "at once" after the call ends. */
const CLOSE_MS = 1000;

const GREETING: Script['greeting'] = [{ say: 'Hello, Sunrise Dental.' }];

const greeted = (rig: Rig, from: string) => greetedCall(rig, from, '+15550400000');

function recorded(rig: Rig, callId: number): { endReason: string | null; errors: string[] } {
  const [row] = rig.query<{ end_reason: string | null }>('SELECT end_reason FROM calls WHERE id = ?', callId);
  const errors = rig.query<{ type: string }>('SELECT type FROM system_errors WHERE call_id = ?', callId).map((e) => e.type);
  return { endReason: row?.end_reason ?? null, errors };
}

function sentAt(session: SimSession, type: string): number {
  const event = session.sent.find((e) => e.type === type);
  if (!event) throw new Error(`the sim never sent ${type}`);
  return event.at;
}

describe('the call never goes silent: faults end in the fallback', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('quota gone: a reply that fails with insufficient_quota is not retried; the caller hears the fallback', async () => {
    rig = await startRig({
      realtime: { script: { greeting: GREETING, turns: [{ user: 'I need a cleaning', replies: [{ fail: { status: 'failed', type: 'insufficient_quota', code: 'insufficient_quota' } }] }] } },
    });
    const { call, session, callId } = await greeted(rig, '+15550401001');
    call.say(Buffer.concat([speech('I need a cleaning'), silence(800)]));
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    const faultAt = session.responses[1]!.doneAt!;
    const heard = await fallbackHeard(call, IMMEDIATE_MS);
    expect(heard.twiml).toMatch(/sorry/i);
    expect(heard.twiml).toContain(`${TRANSFER_NUMBER}</Dial>`);
    await session.closed;
    recordFigure('reply failed (insufficient_quota)', 'fault to fallback heard', heard.at - faultAt);
    recordFigure('reply failed (insufficient_quota)', 'OpenAI session open after the call left the receptionist', session.closedAt! - heard.at);
    // Not retried: a quota error will not go away in a second.
    expect(session.received.filter((r) => r.event.type === 'response.create')).toHaveLength(1);
    expect(recorded(rig, callId)).toEqual({ endReason: 'openai_reply_failed', errors: ['openai_reply_failed'] });
  });

  it('a transient failure (server_error) is retried once and the caller hears a reply, not the fallback', async () => {
    rig = await startRig({
      realtime: { script: { greeting: GREETING, turns: [{ user: 'Are you open Saturday?', replies: [{ fail: { status: 'failed', type: 'server_error' } }] }] } },
    });
    const { call, session, callId } = await greeted(rig, '+15550401002');
    const playedBefore = call.playedBytes;
    call.say(Buffer.concat([speech('Are you open Saturday?'), silence(800)]));
    await session.waitFor((s) => s.responses[2]?.doneAt !== undefined, 8000);
    expect(session.responses[2]!.text).toBe('Mm-hm.');
    await call.waitFor((c) => c.playedBytes > playedBefore, 3000);
    expect(call.redirects).toEqual([]);
    expect(recorded(rig, callId).errors).toEqual(['openai_reply_retried']);
  });

  it('OpenAI rejects session.update (a wrong voice name): no greeting is asked for, the caller hears the fallback', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } }, expectRefusals: ['invalid_value'] });
    rig.setSetting('receptionist.voice', 'marinn');
    const call = await rig.twilio.placeCall({ from: '+15550401003', to: '+15550400000' });
    const session = await rig.realtime.waitForSession(0);
    await session.waitFor((s) => s.refusals.length > 0, 3000);
    const faultAt = sentAt(session, 'error');
    const heard = await fallbackHeard(call, IMMEDIATE_MS);
    expect(heard.twiml).toContain(`${TRANSFER_NUMBER}</Dial>`);
    await session.closed;
    recordFigure('session.update rejected', 'fault to fallback heard', heard.at - faultAt);
    expect(session.refusals.map((e) => e.param)).toEqual(['session.audio.output.voice']);
    expect(session.received.filter((r) => r.event.type === 'response.create')).toEqual([]);
    const [row] = rig.query<{ id: number }>('SELECT id FROM calls WHERE call_sid = ?', call.callSid);
    expect(recorded(rig, row!.id).endReason).toBe('openai_session_rejected');
  });

  it('the model goes quiet: the caller finishes speaking, no reply comes, and the fallback follows within the bound', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING, afterScript: 'quiet' } } });
    const { call, session, callId } = await greeted(rig, '+15550401004');
    call.say(Buffer.concat([speech('Hello, is anyone there?'), silence(800)]));
    await session.waitFor((s) => s.utterances.length === 1, 8000);
    const faultAt = sentAt(session, 'input_audio_buffer.speech_stopped');
    const heard = await fallbackHeard(call, NO_REPLY_MS);
    expect(heard.twiml).toMatch(/sorry/i);
    await session.closed;
    recordFigure('model goes quiet', 'caller stopped speaking to fallback heard', heard.at - faultAt);
    recordFigure('model goes quiet', 'OpenAI session open after the call left the receptionist', session.closedAt! - heard.at);
    expect(recorded(rig, callId)).toEqual({ endReason: 'openai_no_reply', errors: ['openai_no_reply'] });
  });

  it("Twilio's final status ends the call and closes the OpenAI session at once, even with no stop on the stream", async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    const { call, session, callId } = await greeted(rig, '+15550401005');
    const endedAt = performance.now();
    const res = await rig.twilio.postWebhook('/twilio/status', { ...call.callParams('completed'), CallDuration: '4' });
    expect(res.status).toBe(204);
    await Promise.race([session.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('session still open')), CLOSE_MS))]);
    recordFigure('Twilio says completed', 'OpenAI session open after the call ended', session.closedAt! - endedAt);
    expect(recorded(rig, callId).endReason).toBe('twilio_call_ended');
    const [row] = rig.query<{ status: string; outcome: string }>('SELECT status, outcome FROM calls WHERE id = ?', callId);
    expect(row).toEqual({ status: 'completed', outcome: 'abandoned' });
  });

  it('a media stream that goes quiet without stop: after 10 s the call is ended at Twilio and the session closed', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    const { call, session, callId } = await greeted(rig, '+15550401006');
    const quietAt = performance.now();
    call.goQuiet();
    const hangUp = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.params.Status === 'completed', 10_000 + 2000);
    await session.closed;
    recordFigure('media stream goes quiet', 'last frame to hang-up', hangUp.at - quietAt);
    recordFigure('media stream goes quiet', 'OpenAI session open after the hang-up', session.closedAt! - hangUp.at);
    expect(call.status).toBe('completed');
    expect(recorded(rig, callId)).toEqual({ endReason: 'media_silent', errors: ['media_silent'] });
  });

  it('the media connection drops (TCP): Twilio plays the fallback after </Connect>, the engine closes the session and records it', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    const { call, session, callId } = await greeted(rig, '+15550401007');
    const dropAt = performance.now();
    call.dropStream();
    const heard = await fallbackHeard(call, IMMEDIATE_MS);
    expect(heard.via).toBe('after-connect');
    await session.closed;
    recordFigure('media connection drops', 'OpenAI session open after the drop', session.closedAt! - dropAt);
    await eventually(() => recorded(rig!, callId).endReason === 'media_stream_lost', 2000, 'reason recorded');
    // Twilio is already playing the fallback; a REST redirect would restart the apology.
    await new Promise((r) => setTimeout(r, 1200));
    expect(call.redirects).toHaveLength(1);
    expect(rig.twilio.restRequests.filter((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.method === 'POST')).toEqual([]);
  });
});
