import { FRAME_BYTES, padToFrames } from '../audio.js';

/**
 * The caller's side of the line: audio queued by say() and handed out one 20 ms frame
 * per tick, in order, so the engine hears it at real-time pace.
 */
export class CallerAudio {
  private queue: Buffer[] = [];
  private offset = 0;
  private drainWaiters: Array<() => void> = [];

  get queuedBytes(): number {
    let n = -this.offset;
    for (const b of this.queue) n += b.length;
    return n;
  }

  push(audio: Buffer): void {
    if (audio.length === 0) return;
    // Whole frames only, padded with μ-law silence, so one say() never bleeds into the next frame's timing.
    this.queue.push(padToFrames(audio));
  }

  /** The next queued frame, or undefined when the caller is silent. */
  nextFrame(): Buffer | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    const frame = head.subarray(this.offset, this.offset + FRAME_BYTES);
    this.offset += FRAME_BYTES;
    if (this.offset >= head.length) {
      this.queue.shift();
      this.offset = 0;
    }
    return frame;
  }

  /** Resolves once everything queued so far has been sent (or the stream ended). */
  drained(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Called after a frame went out; settles drained() promises when the queue is empty. */
  notifySent(): void {
    if (this.queue.length === 0 && this.drainWaiters.length > 0) this.releaseWaiters();
  }

  /** The stream is gone: nothing more will be sent, so nobody should wait for it. */
  abandon(): void {
    this.queue = [];
    this.offset = 0;
    this.releaseWaiters();
  }

  private releaseWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
