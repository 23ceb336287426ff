/**
 * G.711 μ-law, as Twilio's media streams and the Realtime API's `audio/pcmu` carry it:
 * 8 kHz, one byte per sample. Pure, so the capture worklet and the speaker share it.
 */

const BIAS = 0x84;
const CLIP = 32635;

/** One 16-bit linear sample (−32768…32767) to a μ-law byte. */
export function linearToMulaw(sample: number): number {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** A μ-law byte to a 16-bit linear sample. */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? BIAS - t : t - BIAS;
}

/** Base64 μ-law (as the engine sends the receptionist's audio) to samples in −1…1 for Web Audio. */
export function decodeMulawBase64(base64: string): Float32Array<ArrayBuffer> {
  const raw = atob(base64);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = mulawToLinear(raw.charCodeAt(i)) / 32768;
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return btoa(s);
}

/**
 * Turns the microphone's samples (any rate) into 8 kHz μ-law: each output sample is the
 * mean of the input samples it stands for (a box filter, enough to keep speech clean for
 * the model and its voice detection), emitted in whole 20 ms frames.
 */
export class MulawDownsampler {
  private readonly step: number;
  private pos = 0;
  private sum = 0;
  private count = 0;
  private out: Uint8Array;
  private filled = 0;

  constructor(
    inputRate: number,
    /** Bytes per emitted chunk: whole 160-byte frames. */
    private readonly chunkBytes: number,
    private readonly emit: (chunk: Uint8Array) => void,
  ) {
    this.step = inputRate / 8000;
    this.out = new Uint8Array(chunkBytes);
  }

  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.sum += samples[i]!;
      this.count++;
      this.pos += 1;
      if (this.pos < this.step) continue;
      this.pos -= this.step;
      const mean = this.sum / this.count;
      this.sum = 0;
      this.count = 0;
      this.out[this.filled++] = linearToMulaw(Math.max(-1, Math.min(1, mean)) * 32767);
      if (this.filled === this.chunkBytes) {
        this.emit(this.out);
        this.out = new Uint8Array(this.chunkBytes);
        this.filled = 0;
      }
    }
  }
}
