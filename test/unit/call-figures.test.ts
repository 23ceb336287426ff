import { describe, expect, it } from 'vitest';
import { billedMinutes, openaiCostUsd } from '../../voice-engine/src/after-call/call-cost.js';
import { CallFigures, percentile } from '../../voice-engine/src/call/call-figures.js';
import { PRICING_DEFAULTS } from '../../voice-engine/src/clinic/knowledge.js';
import { toSignal } from '../../voice-engine/src/realtime/protocol.js';

/** A response.done as the Realtime API sends it (usage block in its documented shape). */
const RECORDED_DONE = {
  type: 'response.done',
  response: {
    id: 'resp_1', object: 'realtime.response', status: 'completed', output: [],
    usage: {
      total_tokens: 5420, input_tokens: 4620, output_tokens: 800,
      input_token_details: { text_tokens: 1620, audio_tokens: 3000, image_tokens: 0, cached_tokens: 1600, cached_tokens_details: { text_tokens: 1100, audio_tokens: 500, image_tokens: 0 } },
      output_token_details: { text_tokens: 120, audio_tokens: 680 },
    },
  },
};

describe('what a call costs', () => {
  it('prices a recorded usage block: cached input at the cached price, the rest at its own', () => {
    const signal = toSignal(RECORDED_DONE);
    expect(signal).toMatchObject({ kind: 'response-done', usage: { textIn: 1620, audioIn: 3000, cachedTextIn: 1100, cachedAudioIn: 500, textOut: 120, audioOut: 680 } });
    const usage = (signal as { usage: Parameters<typeof openaiCostUsd>[0] }).usage;
    // (520 × 4 + 1100 × 0.4 + 2500 × 32 + 500 × 0.4 + 120 × 16 + 680 × 64) / 1e6
    expect(openaiCostUsd(usage, PRICING_DEFAULTS)).toBeCloseTo((2080 + 440 + 80_000 + 200 + 1920 + 43_520) / 1e6, 10);
  });

  it('bills each started minute of Twilio time', () => {
    expect([0, 1, 60_000, 60_001, 185_000].map(billedMinutes)).toEqual([0, 1, 1, 2, 4]);
  });

  it('times replies from the caller finishing to the first audio back, and counts barge-ins', () => {
    const f = new CallFigures();
    f.replyAudio(50); // the greeting: nobody had spoken, not a reply
    f.callerStopped(1000);
    f.replyAudio(1420);
    f.replyAudio(1460); // later audio of the same reply
    f.callerStopped(5000);
    f.bargeIn();
    f.replyAudio(5900);
    expect(f.replyMs).toEqual([420, 900]);
    expect(f.bargeIns).toBe(1);
    expect(percentile([420, 900, 610, 380], 50)).toBe(420);
    expect(percentile([420, 900, 610, 380], 95)).toBe(900);
    expect(percentile([], 50)).toBeNull();
  });
});
