import { BYTES_PER_MS } from '../audio.js';
import { seededRandom } from '../seeded-random.js';

/**
 * Stand-in for model speech: tonal, never silent, ~60 ms per word, and with a
 * noise floor seeded per session so any 20 ms frame betrays which session made
 * it. That is what lets a test prove one caller never hears another call's audio.
 */

export const MS_PER_WORD = 60;
const SAMPLE_RATE = BYTES_PER_MS * 1000;

/** ITU-T G.711 linear-to-μ-law, the inverse of audio.ts mulawToLinear. */
export function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function wordCount(text: string): number {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

/**
 * Voice-like μ-law for `text`. `sessionIndex` picks the pitch and the noise seed;
 * `serial` makes successive replies in one session differ too.
 */
export function voiceLike(text: string, sessionIndex: number, serial = 0): Buffer {
  const samplesPerWord = MS_PER_WORD * BYTES_PER_MS;
  const n = wordCount(text) * samplesPerWord;
  const out = Buffer.allocUnsafe(n);
  const rand = seededRandom(Math.imul(sessionIndex + 1, 0x9e3779b1) ^ Math.imul(serial + 1, 0x85ebca6b));
  const f0 = 110 + (sessionIndex % 13) * 9;
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const inWord = (i % samplesPerWord) / samplesPerWord;
    // Syllable-shaped envelope that never reaches zero, so every frame stays voiced.
    const envelope = 0.45 + 0.55 * Math.sin(Math.PI * inWord);
    const tone = Math.sin(2 * Math.PI * f0 * t) + 0.5 * Math.sin(4 * Math.PI * f0 * t) + 0.25 * Math.sin(6 * Math.PI * f0 * t);
    out[i] = linearToMulaw(envelope * 5000 * tone + (rand() - 0.5) * 1200);
  }
  return out;
}
