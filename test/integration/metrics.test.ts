import { afterEach, describe, expect, it } from 'vitest';
import { fallbackHeard, startRig, type Rig } from '../harness/call-rig.js';
import { greetedCall } from '../harness/conversation.js';
import { silence, speech } from '../sim/audio.js';

/** One sample's value from Prometheus text, e.g. metric('deskline_live_calls'). */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('GET /metrics for IT', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('needs the token, and reports calls, fallbacks by reason, errors, audio and storage timings without any patient data', async () => {
    rig = await startRig({
      realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }], turns: [{ user: 'I need a cleaning', replies: [{ fail: { status: 'failed', type: 'insufficient_quota', code: 'insufficient_quota' } }] }] } },
    });
    expect((await fetch(`${rig.engine.staffUrl}/metrics`)).status).toBe(401);
    const read = async () => {
      const res = await fetch(`${rig!.engine.staffUrl}/metrics`, { headers: { Authorization: `Bearer ${rig!.engine.token}` } });
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const { call, session } = await greetedCall(rig, '+15550809876');
    expect(sample(await read(), 'deskline_live_calls')).toBe(1);
    call.say(Buffer.concat([speech('I need a cleaning'), silence(800)]));
    await fallbackHeard(call, 3000);
    await session.closed;
    await call.hangup();
    const text = await read();
    expect(sample(text, 'deskline_live_calls')).toBe(0);
    expect(sample(text, 'deskline_fallbacks_total', '{reason="openai_reply_failed"}')).toBe(1);
    expect(sample(text, 'deskline_errors_total', '{type="openai_reply_failed",severity="error"}')).toBe(1);
    expect(sample(text, 'deskline_calls_ended_total', '{outcome="failed"}')).toBe(1);
    expect(sample(text, 'deskline_storage_write_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'deskline_audio_forward_seconds_count', '{direction="caller_to_openai"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^deskline_nodejs_eventloop_lag_seconds /m);
    expect(sample(text, 'deskline_backup_age_seconds')).toBe(-1);
    // Counts and durations only.
    expect(text).not.toContain('5550809876');
    expect(text).not.toMatch(/\+1555/);
    expect(text).not.toMatch(/cleaning|Sunrise/i);
  });
});
