import { afterEach, describe, expect, it } from 'vitest';
import { silence, speech } from '../sim/audio.js';
import { eventually, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';
import type { Script, SimSession } from '../sim/realtime/index.js';
import { greetedCall } from '../harness/conversation.js';
import type { SimCall } from '../sim/twilio/index.js';

/**
 * What the supervisor does on the line itself: a second stream, the keypad, a silent
 * caller, the longest call. Bounds, stated once: */
/** A keypad transfer reaches Twilio this fast. */
const KEYPAD_MS = 2000;

const GREETING: Script['greeting'] = [{ say: 'Hello, Sunrise Dental.' }];

const greeted = (rig: Rig, from: string) => greetedCall(rig, from, '+15550500000');

const callRest = (call: SimCall) => (r: { path: string; method: string }) => r.method === 'POST' && r.path.endsWith(`/Calls/${call.callSid}.json`);

function instructionsAsked(session: SimSession): string[] {
  return session.received
    .filter((r) => r.event.type === 'response.create')
    .map((r) => String(r.event.response?.instructions ?? ''));
}

describe('call supervision on the line', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('a second media stream for a live call is refused; the live caller and their stream are untouched', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING, turns: [{ user: 'Are you open today?', replies: [{ say: 'Yes, until five.' }] }] } } });
    const { call, session } = await greeted(rig, '+15550501001');
    const second = await call.openSecondStream();
    expect((await second.closed).code).toBe(1008);
    // The real stream carries on: the caller is heard and answered, and nobody is sent to the fallback.
    const before = call.playedBytes;
    call.say(Buffer.concat([speech('Are you open today?'), silence(800)]));
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    await call.waitFor((c) => c.playedBytes > before, 3000);
    expect(call.redirects).toEqual([]);
    expect(rig.realtime.sessions).toHaveLength(1);
    expect(rig.query<{ fallback: string | null }>('SELECT fallback FROM calls')).toEqual([{ fallback: null }]);
  });

  it('pressing 0 transfers to the front desk; other keys are recorded on the call', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    const { call, session, callId } = await greeted(rig, '+15550501002');
    call.pressDigit('5');
    call.pressDigit('0');
    const transfer = await rig.twilio.waitForRest((r) => callRest(call)(r) && 'Twiml' in r.params, KEYPAD_MS);
    expect(transfer.params.Twiml).toContain(`${TRANSFER_NUMBER}</Number></Dial>`);
    expect(transfer.params.Twiml).not.toMatch(/sorry/i);
    await session.closed;
    const [row] = rig.query<{ keys_pressed: string; end_reason: string; fallback: string | null }>('SELECT keys_pressed, end_reason, fallback FROM calls WHERE id = ?', callId);
    expect(row).toEqual({ keys_pressed: '50', end_reason: 'keypad', fallback: null });
    await call.hangup();
    await eventually(() => rig!.query<{ outcome: string }>('SELECT outcome FROM calls WHERE id = ?', callId)[0]?.outcome === 'transferred', 3000, 'outcome');
  });

  it('a silent caller is asked whether they are still there, then told goodbye, then the call ends', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    // Shortened through the clinic's own settings (the defaults are 10 s and 10 s).
    rig.setSetting('receptionist.callLimits', { idlePromptS: 2, idleHangUpS: 2, maxCallMinutes: 30, transferKey: '0' });
    const { call, session, callId } = await greeted(rig, '+15550501003');
    await session.waitFor((s) => instructionsAsked(s).some((i) => /still there/i.test(i)), 5000);
    await session.waitFor((s) => instructionsAsked(s).some((i) => /cannot hear/i.test(i)), 8000);
    const asked = session.received.filter((r) => r.event.type === 'response.create').slice(1);
    // Prompts the engine makes itself can never call a tool.
    expect(asked.every((r) => r.event.response?.tool_choice === 'none')).toBe(true);
    await rig.twilio.waitForRest((r) => callRest(call)(r) && r.params.Status === 'completed', 8000);
    expect(call.status).toBe('completed');
    await session.closed;
    expect(rig.query<{ end_reason: string }>('SELECT end_reason FROM calls WHERE id = ?', callId)).toEqual([{ end_reason: 'idle_caller' }]);
    // The goodbye was heard before the hang-up.
    const goodbye = session.responses.at(-1)!;
    expect(goodbye.doneAt).toBeDefined();
    expect(call.playedBytes).toBeGreaterThanOrEqual(session.outputBytes - 160);
  });

  it('a caller who answers the question keeps the call going', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING, turns: [{ user: 'Yes, sorry', replies: [{ say: 'No problem. How can I help?' }] }] } } });
    rig.setSetting('receptionist.callLimits', { idlePromptS: 2, idleHangUpS: 3, maxCallMinutes: 30, transferKey: '0' });
    const { call, session } = await greeted(rig, '+15550501004');
    await session.waitFor((s) => instructionsAsked(s).some((i) => /still there/i.test(i)), 5000);
    await session.waitFor((s) => s.responses.every((r) => r.doneAt !== undefined) && s.responses.length >= 2, 5000);
    call.say(Buffer.concat([speech('Yes, sorry'), silence(800)]));
    await session.waitFor((s) => s.responses.some((r) => r.text === 'No problem. How can I help?' && r.doneAt !== undefined), 8000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(instructionsAsked(session).filter((i) => /cannot hear/i.test(i))).toEqual([]);
    expect(call.status).toBe('in-progress');
  });

  it('the longest call wraps up politely, then goes to the front desk', async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    rig.setSetting('receptionist.callLimits', { idlePromptS: 60, idleHangUpS: 60, maxCallMinutes: 0.05, transferKey: '0' });
    const { call, session, callId } = await greeted(rig, '+15550501005');
    await session.waitFor((s) => instructionsAsked(s).some((i) => /time limit/i.test(i) && /front desk/i.test(i)), 6000);
    const transfer = await rig.twilio.waitForRest((r) => callRest(call)(r) && 'Twiml' in r.params, 8000);
    expect(transfer.params.Twiml).toContain(`${TRANSFER_NUMBER}</Number></Dial>`);
    await session.closed;
    expect(rig.query<{ end_reason: string }>('SELECT end_reason FROM calls WHERE id = ?', callId)).toEqual([{ end_reason: 'max_call_length' }]);
  });
});
