import { FRAME_BYTES } from '../audio.js';

/** A mark the engine queued, due when playback reaches `position` (absolute bytes appended). */
interface PendingMark {
  name: string;
  position: number;
}

export interface ClearRecord {
  at: number;
  playedBytesAtClear: number;
  discardedBytes: number;
}

/**
 * What Twilio does with the engine's outbound audio: a FIFO played at 8 kHz, one 160-byte
 * frame per 20 ms tick, with marks that come due once the audio queued before them has
 * played. Positions are absolute byte counts so marks never need rewriting as audio drains.
 */
export class PlayoutBuffer {
  private queue: Buffer[] = [];
  private head = 0; // read offset into queue[0]
  private appended = 0;
  private marks: PendingMark[] = [];
  // Kept as chunks: the bench plays minutes of audio per call and repeated concat is O(n^2).
  private playedChunks: Buffer[] = [];
  private playedCache: Buffer | undefined;
  playedBytes = 0;
  readonly clears: ClearRecord[] = [];

  get bufferedBytes(): number {
    return this.appended - this.playedBytes;
  }

  /** Absolute position (bytes) where the next appended audio will play. */
  get appendedBytes(): number {
    return this.appended;
  }

  append(audio: Buffer): void {
    if (audio.length === 0) return;
    this.queue.push(audio);
    this.appended += audio.length;
  }

  addMark(name: string): void {
    this.marks.push({ name, position: this.appended });
  }

  /**
   * Plays up to one frame and returns the names of marks that are now due. A mark queued
   * behind an empty buffer is due on the next tick, as with Twilio. `keep` false counts the
   * frame as played without keeping it for played() (long benches).
   */
  tick(keep = true): { frame: Buffer | undefined; dueMarks: string[] } {
    const frame = this.take(FRAME_BYTES);
    if (frame) {
      if (keep) {
        this.playedChunks.push(frame);
        this.playedCache = undefined;
      }
      this.playedBytes += frame.length;
    }
    return { frame, dueMarks: this.takeMarks(this.playedBytes) };
  }

  /** Drops unplayed audio; every pending mark is returned at once, as Twilio documents for clear. */
  clear(at: number): { record: ClearRecord; dueMarks: string[] } {
    const record = { at, playedBytesAtClear: this.playedBytes, discardedBytes: this.bufferedBytes };
    this.queue = [];
    this.head = 0;
    this.appended = this.playedBytes;
    this.clears.push(record);
    return { record, dueMarks: this.takeMarks(Infinity) };
  }

  played(): Buffer {
    if (!this.playedCache) {
      this.playedCache = Buffer.concat(this.playedChunks);
      this.playedChunks = [this.playedCache];
    }
    return this.playedCache;
  }

  private takeMarks(upTo: number): string[] {
    let n = 0;
    while (n < this.marks.length && this.marks[n]!.position <= upTo) n++;
    if (n === 0) return [];
    return this.marks.splice(0, n).map((m) => m.name);
  }

  private take(bytes: number): Buffer | undefined {
    const first = this.queue[0];
    if (!first) return undefined;
    // The common case (engine sends whole frames or larger chunks) is a zero-copy slice.
    if (first.length - this.head >= bytes) {
      const out = first.subarray(this.head, this.head + bytes);
      this.advance(bytes);
      return out;
    }
    const parts: Buffer[] = [];
    let need = bytes;
    while (need > 0 && this.queue.length > 0) {
      const chunk = this.queue[0]!;
      const n = Math.min(need, chunk.length - this.head);
      parts.push(chunk.subarray(this.head, this.head + n));
      this.advance(n);
      need -= n;
    }
    return Buffer.concat(parts);
  }

  private advance(n: number): void {
    this.head += n;
    if (this.head >= this.queue[0]!.length) {
      this.queue.shift();
      this.head = 0;
    }
  }
}
