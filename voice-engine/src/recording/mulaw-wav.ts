/**
 * The stereo WAV a call recording is kept in: 8 kHz μ-law (WAVE format 7), exactly the
 * bytes Twilio and the receptionist exchanged, so nothing is re-encoded and a minute is
 * 960 KB. Chromium, Windows and macOS players all open it.
 */
export const WAV_HEADER_BYTES = 58;
export const SAMPLE_RATE = 8000;
export const CHANNELS = 2;
/** μ-law's silence. */
export const MULAW_SILENCE = 0xff;

/** The header for `frames` stereo frames (one byte per channel each). */
export function mulawStereoHeader(frames: number): Buffer {
  const dataBytes = frames * CHANNELS;
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(18, 16);
  h.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  h.writeUInt16LE(CHANNELS, 22);
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * CHANNELS, 28);
  h.writeUInt16LE(CHANNELS, 32);
  h.writeUInt16LE(8, 34);
  h.writeUInt16LE(0, 36);
  // A non-PCM WAV carries its length in samples as well (the 'fact' chunk).
  h.write('fact', 38, 'ascii');
  h.writeUInt32LE(4, 42);
  h.writeUInt32LE(frames, 46);
  h.write('data', 50, 'ascii');
  h.writeUInt32LE(dataBytes, 54);
  return h;
}

/** Frames in a recording of this many bytes on disk (header included). */
export function framesInFile(fileBytes: number): number {
  return Math.max(0, Math.floor((fileBytes - WAV_HEADER_BYTES) / CHANNELS));
}

/** True when the buffer starts with the header this module writes (so a part can be continued). */
export function isOurWav(head: Buffer): boolean {
  return head.length >= WAV_HEADER_BYTES && head.toString('ascii', 0, 4) === 'RIFF' && head.readUInt16LE(20) === 7 && head.readUInt16LE(22) === CHANNELS && head.toString('ascii', 50, 54) === 'data';
}
