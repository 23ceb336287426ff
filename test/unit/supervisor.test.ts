import { describe, expect, it } from 'vitest';
import { CallSupervisor, DEFAULT_LIMITS, type SupervisorAction, type SupervisorLimits } from '../../voice-engine/src/call/supervisor.js';

/** A supervisor driven by a fake clock: `at(ms)` moves time forward and fires what is due. */
function rig(limits: Partial<SupervisorLimits> = {}, keypad?: { key: string; action: 'transfer' | 'off' }) {
  let now = 0;
  const sup = new CallSupervisor(0, { ...DEFAULT_LIMITS, ...limits }, keypad);
  return {
    sup,
    get now() {
      return now;
    },
    /** Advances to `t`, firing every deadline on the way as a real timer would. */
    at(t: number): SupervisorAction[] {
      const fired: SupervisorAction[] = [];
      for (;;) {
        const next = sup.nextDeadline();
        if (next > t) break;
        now = next;
        fired.push(...sup.poll(now));
      }
      now = t;
      return fired;
    },
  };
}

/** A call that has greeted and is live: session confirmed, media flowing, greeting heard. */
function liveCall(limits: Partial<SupervisorLimits> = {}) {
  const r = rig(limits);
  expect(r.sup.sessionConfirmed(100)).toEqual([{ type: 'speak', purpose: 'greeting' }]);
  r.sup.mediaStarted(200);
  r.sup.responseStarted(300);
  r.sup.playbackChanged(350, true);
  r.sup.responseDone(400, null);
  r.sup.playbackChanged(2000, false);
  r.at(2000);
  return r;
}

/** Keeps caller frames arriving every 20 ms up to `t`, so the no-media check stays quiet. */
function framesUntil(r: ReturnType<typeof rig>, t: number): SupervisorAction[] {
  const fired: SupervisorAction[] = [];
  for (let ms = r.now + 20; ms <= t; ms += 20) {
    fired.push(...r.at(ms));
    r.sup.mediaFrame(ms);
  }
  return fired;
}

describe('call supervisor: session start', () => {
  it('asks for the greeting only once OpenAI confirms the session', () => {
    const r = rig();
    expect(r.at(1500)).toEqual([]);
    expect(r.sup.sessionConfirmed(1500)).toEqual([{ type: 'speak', purpose: 'greeting' }]);
    expect(r.sup.sessionConfirmed(1600)).toEqual([]);
  });

  it('a session never confirmed is a failed start: fallback at the bound', () => {
    const r = rig();
    const fired = r.at(5000);
    expect(fired).toEqual([{ type: 'fallback', reason: 'openai_session_not_ready', detail: expect.stringContaining('2000 ms') }]);
    expect(r.now).toBe(5000);
    expect(r.sup.isOver).toBe(true);
  });

  it('a refused session.update is a failed start at once', () => {
    const r = rig();
    expect(r.sup.cannotCarryOn('openai_session_rejected', 'invalid_value: voice')).toEqual([{ type: 'fallback', reason: 'openai_session_rejected', detail: 'invalid_value: voice' }]);
    expect(r.at(60_000)).toEqual([]);
  });

  it('no media stream within its bound sends the caller to the fallback', () => {
    const r = rig({ mediaStartMs: 10_000 });
    r.sup.sessionConfirmed(100);
    r.sup.responseStarted(200);
    r.sup.responseDone(300, null);
    expect(r.at(10_000)).toEqual([{ type: 'fallback', reason: 'media_stream_missing', detail: expect.any(String) }]);
  });
});

describe('call supervisor: replies', () => {
  it('a reply that does not start within 5 s of the caller finishing is the fallback', () => {
    const r = liveCall();
    r.sup.callerSpeechStarted(3000);
    r.sup.callerSpeechStopped(4000);
    expect(framesUntil(r, 8980)).toEqual([]);
    expect(framesUntil(r, 9000)).toEqual([{ type: 'fallback', reason: 'openai_no_reply', detail: expect.stringContaining('5000 ms') }]);
  });

  it('a reply that starts in time clears the wait', () => {
    const r = liveCall();
    r.sup.callerSpeechStopped(3000);
    r.sup.responseStarted(4500);
    expect(framesUntil(r, 9000)).toEqual([]);
  });

  it('a transient failure is retried once; a second failure is the fallback', () => {
    const r = liveCall();
    r.sup.callerSpeechStopped(3000);
    r.sup.responseStarted(3100);
    expect(r.sup.responseDone(3200, { status: 'failed', errorType: 'server_error' })).toEqual([{ type: 'retry-reply', detail: 'reply failed: server_error' }]);
    r.sup.responseStarted(3300);
    expect(r.sup.responseDone(3400, { status: 'failed', errorCode: 'rate_limit_exceeded' })).toEqual([
      { type: 'fallback', reason: 'openai_reply_failed', detail: 'reply failed: rate_limit_exceeded' },
    ]);
  });

  it('a retry that succeeds resets the count', () => {
    const r = liveCall();
    r.sup.responseStarted(3100);
    expect(r.sup.responseDone(3200, { status: 'failed', errorType: 'server_error' })[0]?.type).toBe('retry-reply');
    r.sup.responseStarted(3300);
    expect(r.sup.responseDone(3400, null)).toEqual([]);
    r.sup.responseStarted(5000);
    expect(r.sup.responseDone(5100, { status: 'failed', errorType: 'server_error' })[0]?.type).toBe('retry-reply');
  });

  it('insufficient quota is not retried', () => {
    const r = liveCall();
    r.sup.responseStarted(3100);
    expect(r.sup.responseDone(3200, { status: 'failed', errorType: 'insufficient_quota', errorCode: 'insufficient_quota' })).toEqual([
      { type: 'fallback', reason: 'openai_reply_failed', detail: 'reply failed: insufficient_quota' },
    ]);
  });

  it('an interrupted reply is normal; an incomplete one for another reason is retried', () => {
    const r = liveCall();
    r.sup.responseStarted(3100);
    expect(r.sup.responseDone(3200, { status: 'cancelled', reason: 'turn_detected' })).toEqual([]);
    r.sup.responseStarted(3300);
    expect(r.sup.responseDone(3400, { status: 'incomplete', reason: 'max_output_tokens' })[0]?.type).toBe('retry-reply');
  });
});

describe('call supervisor: a reply that stalls', () => {
  it('a reply that started but sends nothing more for 10 s is the fallback', () => {
    const r = liveCall();
    r.sup.callerSpeechStopped(3000);
    r.sup.responseStarted(3500);
    r.sup.responseProgress(4000);
    expect(framesUntil(r, 13_980)).toEqual([]);
    expect(framesUntil(r, 14_000)).toEqual([{ type: 'fallback', reason: 'openai_reply_stalled', detail: expect.any(String) }]);
  });

  it('a long reply that keeps sending audio is fine', () => {
    const r = liveCall();
    r.sup.responseStarted(3000);
    const fired: SupervisorAction[] = [];
    for (let t = 3040; t <= 30_000; t += 40) {
      fired.push(...r.at(t));
      r.sup.mediaFrame(t);
      r.sup.responseProgress(t);
    }
    expect(fired).toEqual([]);
  });
});

describe('call supervisor: tools', () => {
  it('a slow tool gets one filler line, a hung one the fallback', () => {
    const r = liveCall();
    r.sup.callerSpeechStopped(3000);
    r.sup.responseStarted(3100);
    r.sup.responseDone(3200, null);
    r.sup.toolsStarted(3200);
    expect(framesUntil(r, 5700)).toEqual([{ type: 'speak', purpose: 'tool-filler' }]);
    r.sup.responseStarted(5800);
    r.sup.responseDone(5900, null);
    expect(framesUntil(r, 23_180)).toEqual([]);
    expect(framesUntil(r, 23_200)).toEqual([{ type: 'fallback', reason: 'tool_stalled', detail: expect.any(String) }]);
  });

  it('a fast tool needs no filler', () => {
    const r = liveCall();
    r.sup.toolsStarted(3000);
    r.sup.toolsFinished(3500);
    r.sup.replyRequested(3500);
    r.sup.responseStarted(3700);
    expect(framesUntil(r, 8000)).toEqual([]);
  });
});

describe('call supervisor: the line', () => {
  it('no caller frame for 10 s ends the call at Twilio', () => {
    const r = liveCall();
    r.sup.mediaFrame(2000);
    expect(r.at(11_990)).toEqual([]);
    expect(r.at(12_000)).toEqual([{ type: 'end', reason: 'media_silent', hangUp: true, detail: expect.any(String) }]);
  });

  it("Twilio's final status ends the call without touching Twilio", () => {
    const r = liveCall();
    expect(r.sup.twilioEnded('completed')).toEqual([{ type: 'end', reason: 'twilio_call_ended', hangUp: false, detail: 'Twilio reported the call completed' }]);
    expect(r.sup.nextDeadline()).toBe(Infinity);
  });

  it('a silent caller is asked if they are there, then told goodbye, then hung up on', () => {
    const r = liveCall({ idlePromptMs: 10_000, idleHangUpMs: 8000, wrapUpMs: 20_000 });
    expect(framesUntil(r, 11_980)).toEqual([]);
    expect(framesUntil(r, 12_000)).toEqual([{ type: 'speak', purpose: 'still-there' }]);
    r.sup.responseStarted(12_200);
    r.sup.playbackChanged(12_250, true);
    r.sup.responseDone(12_300, null);
    r.sup.playbackChanged(14_000, false);
    expect(framesUntil(r, 21_980)).toEqual([]);
    expect(framesUntil(r, 22_000)).toEqual([{ type: 'speak', purpose: 'idle-goodbye' }]);
    expect(r.sup.wrappingUp).toBe('idle');
    r.sup.responseStarted(22_100);
    r.sup.responseDone(22_200, null);
    // Normally the goodbye's after-reply hang-up ends the call; if it never does, the supervisor does.
    expect(framesUntil(r, 42_000)).toEqual([{ type: 'hang-up', reason: 'idle_caller' }]);
  });

  it('a caller who speaks after the question resets the idle count', () => {
    const r = liveCall({ idlePromptMs: 10_000 });
    expect(framesUntil(r, 12_000)).toEqual([{ type: 'speak', purpose: 'still-there' }]);
    r.sup.responseStarted(12_200);
    r.sup.responseDone(12_300, null);
    r.sup.callerSpeechStarted(13_000);
    r.sup.callerSpeechStopped(14_000);
    r.sup.responseStarted(14_500);
    r.sup.responseDone(14_600, null);
    expect(framesUntil(r, 24_580)).toEqual([]);
    expect(framesUntil(r, 24_600)).toEqual([{ type: 'speak', purpose: 'still-there' }]);
  });

  it('the caller talking or the receptionist speaking is never idle', () => {
    const r = liveCall({ idlePromptMs: 10_000 });
    r.sup.callerSpeechStarted(3000);
    expect(framesUntil(r, 20_000)).toEqual([]);
    r.sup.callerSpeechStopped(20_000);
    r.sup.responseStarted(20_500);
    r.sup.playbackChanged(20_600, true);
    r.sup.responseDone(21_000, null);
    expect(framesUntil(r, 40_000)).toEqual([]);
  });

  it('the longest call wraps up politely, then hands off if the wrap-up is never heard', () => {
    const r = liveCall({ maxCallMs: 60_000, wrapUpMs: 30_000, idlePromptMs: 1_000_000 });
    expect(framesUntil(r, 59_980)).toEqual([]);
    expect(framesUntil(r, 60_000)).toEqual([{ type: 'speak', purpose: 'wrap-up' }]);
    expect(r.sup.wrappingUp).toBe('max-length');
    r.sup.responseStarted(60_200);
    r.sup.responseDone(60_300, null);
    expect(framesUntil(r, 90_000)).toEqual([{ type: 'transfer', reason: 'max_call_length' }]);
  });

  it('the keypad key transfers at any time; other keys do nothing', () => {
    const r = liveCall();
    expect(r.sup.digit('5')).toEqual([]);
    expect(r.sup.digit('0')).toEqual([{ type: 'transfer', reason: 'keypad' }]);
    expect(r.sup.isOver).toBe(true);
  });

  it('the keypad key and its action are settings', () => {
    const r = rig({}, { key: '#', action: 'transfer' });
    expect(r.sup.digit('0')).toEqual([]);
    expect(r.sup.digit('#')).toEqual([{ type: 'transfer', reason: 'keypad' }]);
    const off = rig({}, { key: '0', action: 'off' });
    expect(off.sup.digit('0')).toEqual([]);
  });

  it('a stopped supervisor fires nothing more', () => {
    const r = liveCall();
    r.sup.callerSpeechStopped(3000);
    r.sup.stop();
    expect(r.sup.nextDeadline()).toBe(Infinity);
    expect(r.at(100_000)).toEqual([]);
  });
});
