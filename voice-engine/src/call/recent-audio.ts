import { base64ByteLength, MEDIA_FRAME_BYTES as FRAME_BYTES } from '../twilio/media-protocol.js';

/**
 * The caller's last few frames, for replaying into a fresh Realtime session at a swap.
 *
 * Kept decoded, in one buffer allocated with the call, not as the frames' base64 strings:
 * each string was a slice of its whole Twilio message, and 15 of them per call lived for
 * 300 ms, long enough to be copied by every young-generation collection. At 200 calls
 * that was 1.5 MB per collection, most of what the engine's scavenges copied, paid on
 * the event loop that carries the audio. A frame larger than a slot (Twilio sends 160
 * bytes, but nothing here depends on it) is kept as its string instead.
 */
export class RecentAudio {
  private readonly bytes: Buffer;
  private readonly lengths: Int32Array;
  private readonly oversize: Array<string | undefined>;
  private count = 0;

  constructor(private readonly frames: number) {
    this.bytes = Buffer.alloc(frames * FRAME_BYTES);
    this.lengths = new Int32Array(frames);
    this.oversize = new Array<string | undefined>(frames);
  }

  /** A caller frame as Twilio sent it (base64). */
  push(payloadBase64: string): void {
    const slot = this.count++ % this.frames;
    const at = slot * FRAME_BYTES;
    // Decodes straight into the slot; a frame that would not fit is kept whole as its string.
    if (base64ByteLength(payloadBase64) <= FRAME_BYTES) {
      this.lengths[slot] = this.bytes.write(payloadBase64, at, FRAME_BYTES, 'base64');
      this.oversize[slot] = undefined;
    } else {
      this.lengths[slot] = -1;
      this.oversize[slot] = payloadBase64;
    }
  }

  /** The last frames (at most `frames` of them), oldest first, as base64 payloads. */
  replay(): string[] {
    const kept = Math.min(this.count, this.frames);
    const out: string[] = [];
    for (let i = this.count - kept; i < this.count; i++) {
      const slot = i % this.frames;
      const length = this.lengths[slot]!;
      out.push(length < 0 ? this.oversize[slot]! : this.bytes.toString('base64', slot * FRAME_BYTES, slot * FRAME_BYTES + length));
    }
    return out;
  }
}

