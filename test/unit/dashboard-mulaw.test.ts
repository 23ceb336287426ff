import { describe, expect, it } from 'vitest';
import { decodeMulawBase64, linearToMulaw, MulawDownsampler, mulawToLinear } from '../../renderer/src/test-call/mulaw.js';
import { mulawToLinear as simMulawToLinear } from '../sim/audio.js';

describe('the dashboard microphone’s μ-law (test calls)', () => {
  it('decodes every byte as the Twilio simulator does, and encodes each decoded value back to the same byte', () => {
    for (let b = 0; b < 256; b++) {
      expect(mulawToLinear(b) + 0).toBe(simMulawToLinear(b) + 0);
      // 0x7F and 0xFF are both zero; zero encodes to 0xFF (μ-law silence).
      if (b !== 0x7f) expect(linearToMulaw(mulawToLinear(b))).toBe(b);
    }
    expect(linearToMulaw(0)).toBe(0xff);
  });

  it('turns 48 kHz samples into whole 20 ms frames at 8 kHz, keeping a tone’s level', () => {
    const chunks: Uint8Array[] = [];
    const down = new MulawDownsampler(48_000, 5 * 160, (c) => chunks.push(c.slice()));
    const tone = new Float32Array(48_000); // one second of 440 Hz at half scale
    for (let i = 0; i < tone.length; i++) tone[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000);
    for (let at = 0; at < tone.length; at += 128) down.push(tone.subarray(at, at + 128));
    expect(chunks.map((c) => c.length)).toEqual(Array(10).fill(800));
    const samples = chunks.flatMap((c) => [...c].map((b) => mulawToLinear(b) / 32768));
    const rms = Math.sqrt(samples.reduce((t, v) => t + v * v, 0) / samples.length);
    // A sine at 0.5 has an RMS of 0.354; the box filter at 440 Hz loses well under 1 dB.
    expect(rms).toBeGreaterThan(0.32);
    expect(rms).toBeLessThan(0.37);
  });

  it('plays base64 μ-law from the engine as samples in −1…1', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x80, 0x7f]);
    expect([...decodeMulawBase64(bytes.toString('base64'))].map((v) => Math.round(v * 32768))).toEqual([0, -32124, 32124, 0]);
  });
});
