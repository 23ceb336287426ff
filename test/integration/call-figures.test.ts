import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiCostUsd } from '../../voice-engine/src/after-call/call-cost.js';
import { PRICING_DEFAULTS } from '../../voice-engine/src/clinic/knowledge.js';
import { startRig, type Rig } from '../harness/call-rig.js';
import { converse, scriptedCall } from '../harness/conversation.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];

/** Each call's cost from the Realtime usage OpenAI reported, at the prices in Settings, and its reply times. */
describe('call cost and reply times', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('adds up every response’s usage, prices it, times the replies, and shows the day’s figures', async () => {
    const { call, session, callId } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [
        { user: 'Is there parking?', replies: [{ say: 'Yes, free parking behind the building.' }] },
        { user: 'And are you open Saturday?', replies: [{ say: 'Yes, from nine to five.' }] },
      ],
      afterScript: 'quiet',
    }, '+15035553001');
    await converse(call, session, ['Is there parking?', 'And are you open Saturday?']);
    await call.hangup();

    // What the sim reported, response by response.
    const sent = session.sent.filter((e) => e.type === 'response.done').map((e) => (e.event as { response: { usage?: any } }).response.usage).filter(Boolean);
    expect(sent.length).toBe(3);
    const sum = (f: (u: any) => number) => sent.reduce((t: number, u: any) => t + f(u), 0);
    const expected = {
      textIn: sum((u) => u.input_token_details.text_tokens),
      audioIn: sum((u) => u.input_token_details.audio_tokens),
      cachedTextIn: sum((u) => u.input_token_details.cached_tokens_details.text_tokens),
      cachedAudioIn: sum((u) => u.input_token_details.cached_tokens_details.audio_tokens),
      textOut: sum((u) => u.output_token_details.text_tokens),
      audioOut: sum((u) => u.output_token_details.audio_tokens),
    };
    const detail = await rig.handler<{ figures: { tokens: typeof expected; openaiUsd: number; twilioUsd: number; minutes: number; replyMs: number[]; bargeIns: number } }>('calls/get', { id: callId });
    expect(detail.ok).toBe(true);
    const figures = detail.ok ? detail.value.figures : undefined;
    expect(figures?.tokens).toEqual(expected);
    expect(figures?.openaiUsd).toBeCloseTo(openaiCostUsd(expected, PRICING_DEFAULTS), 10);
    expect(figures?.minutes).toBe(1);
    expect(figures?.twilioUsd).toBeCloseTo(PRICING_DEFAULTS.twilioPerMinute, 10);
    // Two replies to the caller, each timed from the end of their speech to the first audio back.
    expect(figures?.replyMs).toHaveLength(2);
    expect(figures!.replyMs.every((ms) => Number.isInteger(ms) && ms >= 0)).toBe(true);
    expect(figures?.bargeIns).toBe(0);

    const today = await rig.handler<{ today: { calls: number; costUsd: number; replyP50Ms: number | null }; month: { costUsd: number } }>('calls/figures', {});
    expect(today.ok && today.value.today.calls).toBeGreaterThanOrEqual(1);
    expect(today.ok && today.value.today.costUsd).toBeGreaterThanOrEqual(figures!.openaiUsd + figures!.twilioUsd - 1e-9);
    expect(today.ok && today.value.today.replyP50Ms).not.toBeNull();
    expect(today.ok && today.value.month.costUsd).toBeGreaterThanOrEqual(today.ok ? today.value.today.costUsd : 0);
  }, 60_000);
});
