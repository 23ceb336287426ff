import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Twilio Media Streams carry 8 kHz μ-law in 20 ms frames of 160 bytes. */
export const FRAME_MS = 20;
export const FRAME_BYTES = 160;
export const BYTES_PER_MS = 8;
/** 0xFF decodes to zero amplitude in μ-law: the sound of nothing. */
export const MULAW_SILENCE = 0xff;

const AUDIO_DIR = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../.cache/audio');

export function silence(ms: number): Buffer {
  return Buffer.alloc(Math.round(ms * BYTES_PER_MS), MULAW_SILENCE);
}

/**
 * Real synthetic speech as 8 kHz μ-law, made by espeak-ng and sox and cached by text,
 * so the simulators carry audio a voice-activity detector treats like a caller's.
 */
export function speech(text: string): Buffer {
  const key = createHash('sha1').update(text).digest('hex').slice(0, 16);
  const out = join(AUDIO_DIR, `${key}.ul`);
  if (!existsSync(out)) {
    mkdirSync(AUDIO_DIR, { recursive: true });
    const wav = join(AUDIO_DIR, `${key}.${process.pid}.wav`);
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync('espeak-ng', ['-s', '165', '-w', wav, text], { stdio: 'pipe' });
    execFileSync('sox', [wav, '-r', '8000', '-c', '1', '-e', 'mu-law', '-t', 'raw', tmp], { stdio: 'pipe' });
    rmSync(wav, { force: true });
    execFileSync('mv', [tmp, out]);
  }
  return readFileSync(out);
}

/** Pads audio to whole 20 ms frames with μ-law silence. */
export function padToFrames(audio: Buffer): Buffer {
  const rest = audio.length % FRAME_BYTES;
  return rest === 0 ? audio : Buffer.concat([audio, silence((FRAME_BYTES - rest) / BYTES_PER_MS)]);
}

/** ITU-T G.711 μ-law to 16-bit linear. */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

/** Root-mean-square amplitude of a μ-law frame, for a simple energy voice detector. */
export function frameRms(frame: Buffer): number {
  if (frame.length === 0) return 0;
  let sum = 0;
  for (const b of frame) {
    const s = mulawToLinear(b);
    sum += s * s;
  }
  return Math.sqrt(sum / frame.length);
}
