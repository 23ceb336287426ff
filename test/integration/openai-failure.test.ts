import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { silence, speech } from '../sim/audio.js';
import { fallbackHeard, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';
import { recordFigure } from '../harness/figures.js';

/** The caller must hear the fallback within 2 s of the failure: any longer is dead air. */
const FALLBACK_DEADLINE_MS = 2000;

function isRedirect(callSid: string) {
  return (r: { method: string; path: string; params: Record<string, string> }) =>
    r.method === 'POST' && r.path.endsWith(`/Calls/${callSid}.json`) && 'Twiml' in r.params;
}

describe('when OpenAI fails, the caller hears the fallback, never silence', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('OpenAI unreachable at call start: apology then transfer to the front desk, error recorded', async () => {
    rig = await startRig({ openaiDown: true });
    const call = await rig.twilio.placeCall({ from: '+15550101234', to: '+15550100000' });
    const redirect = await rig.twilio.waitForRest(isRedirect(call.callSid), FALLBACK_DEADLINE_MS);
    expect(redirect.authorized).toBe(true);
    expect(redirect.params.Twiml).toMatch(/<Say>[^<]*sorry[^<]*<\/Say>/i);
    expect(redirect.params.Twiml).toContain(`>${TRANSFER_NUMBER}</Dial>`);
    const [row] = rig.query<{ id: number; fallback: string; needs_action: number }>('SELECT * FROM calls WHERE call_sid = ?', call.callSid);
    expect(row).toMatchObject({ fallback: 'transfer', needs_action: 1 });
    const errors = rig.query<{ type: string; severity: string; call_id: number; stack: string | null }>('SELECT * FROM system_errors');
    expect(errors).toEqual([expect.objectContaining({ type: 'openai_unreachable', severity: 'error', call_id: row!.id })]);
    expect(errors[0]?.stack).toBeTruthy();
  });

  it('OpenAI refusing the session (HTTP 503) is handled the same way', async () => {
    rig = await startRig();
    rig.realtime.acceptConnections = false;
    const placed = performance.now();
    const call = await rig.twilio.placeCall({ from: '+15550101234', to: '+15550100000' });
    const heard = await fallbackHeard(call, FALLBACK_DEADLINE_MS);
    recordFigure('OpenAI refuses the connection (503)', 'call placed to fallback heard', heard.at - placed);
    expect(heard.twiml).toContain('<Dial');
    expect(call.redirects).toHaveLength(1);
  });

  it('with no transfer number, the fallback records a voicemail that is stored and flagged for staff', async () => {
    rig = await startRig({ openaiDown: true, engineEnv: { DESKLINE_TRANSFER_NUMBER: '' } });
    const call = await rig.twilio.placeCall({ from: '+15550105678', to: '+15550100000' });
    const redirect = await rig.twilio.waitForRest(isRedirect(call.callSid), FALLBACK_DEADLINE_MS);
    expect(redirect.params.Twiml).toContain('<Record');
    expect(redirect.params.Twiml).toContain('action="https://clinic.deskline.test/twilio/voicemail"');
    expect(redirect.params.Twiml).not.toContain('<Dial');
    // Twilio posts the finished recording to the Record action.
    const recording = { CallSid: call.callSid, AccountSid: call.accountSid, RecordingSid: 'RE' + 'd'.repeat(32), RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/x/Recordings/RE1', RecordingDuration: '14' };
    const res = await rig.twilio.postWebhook('/twilio/voicemail', recording);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Hangup/>');
    await rig.twilio.postWebhook('/twilio/voicemail', recording); // Twilio retries: still one voicemail
    const { body } = await rig.api<any>(`/api/calls/${rig.query<{ id: number }>('SELECT id FROM calls')[0]!.id}`);
    expect(body.value.voicemails).toEqual([expect.objectContaining({ recordingSid: recording.RecordingSid, durationS: 14, resolvedAt: null })]);
    expect(body.value.needsAction).toBe(true);
    expect(body.value.fallback).toBe('voicemail');
  });

  it('OpenAI dropping mid-call: the live call is redirected within 2 s, and what was said is kept', async () => {
    rig = await startRig({
      realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }], turns: [{ user: 'I need to book a cleaning', replies: [{ say: 'Sure, what day?' }] }, { user: 'Tuesday please', replies: [{ drop: true }] }] } },
    });
    const call = await rig.twilio.placeCall({ from: '+15550109876', to: '+15550100000' });
    const session = await rig.realtime.waitForSession(0);
    await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 5000);
    await call.waitFor((c) => c.playedBytes > 0 && c.playedBytes >= session.outputBytes, 5000);
    call.say(Buffer.concat([speech('I need to book a cleaning'), silence(800)]));
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    await call.waitFor((c) => c.playedBytes >= session.outputBytes, 5000);
    call.say(Buffer.concat([speech('Tuesday please'), silence(800)]));
    await session.closed;
    const heard = await fallbackHeard(call, FALLBACK_DEADLINE_MS);
    recordFigure('OpenAI drops mid-call', 'fault to fallback heard', heard.at - session.closedAt!);
    expect(heard.twiml).toContain(`>${TRANSFER_NUMBER}</Dial>`);
    // Ending the stream plays the fallback at once; no REST redirect restarts it.
    expect(heard.via).toBe('after-connect');
    const types = rig.query<{ type: string }>('SELECT type FROM system_errors').map((e) => e.type);
    expect(types).toContain('openai_session_dropped');
    const lines = rig.query<{ text: string }>('SELECT text FROM transcript_lines ORDER BY id').map((l) => l.text);
    // Everything that reached the engine before the drop is on record.
    expect(lines.slice(0, 3)).toEqual(['Hello, Sunrise Dental.', 'I need to book a cleaning', 'Sure, what day?']);
    await new Promise((r) => setTimeout(r, 1200));
    expect(call.redirects).toHaveLength(1);
  });
});
