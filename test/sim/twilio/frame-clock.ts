import { performance } from 'node:perf_hooks';
import { FRAME_MS } from '../audio.js';

export interface ClockSubscriber {
  /** Called once per 20 ms of media time; `at` is performance.now() when the tick ran. */
  onTick(at: number): void;
}

/** Beyond this the process was stalled (debugger, suspended VM): resync rather than burst seconds of frames. */
const MAX_CATCH_UP_TICKS = 50;

/**
 * One timer drives every call of a simulator: at 200 calls a timer per call would mean
 * 200 independent jittery clocks and 10,000 timer callbacks a second. Ticks are counted
 * against a monotonic origin so a late timer catches up instead of stretching audio.
 */
export class FrameClock {
  private readonly subscribers = new Set<ClockSubscriber>();
  private timer: NodeJS.Timeout | undefined;
  private origin = 0;
  private ticks = 0;
  /** Ticks dropped because the process stalled for longer than a catch-up burst allows. */
  skippedTicks = 0;
  /** Largest number of ticks run in one timer callback; >1 means the event loop was late. */
  maxBurst = 0;

  add(sub: ClockSubscriber): void {
    this.subscribers.add(sub);
    if (!this.timer) this.startTimer();
  }

  delete(sub: ClockSubscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startTimer(): void {
    this.origin = performance.now();
    this.ticks = 0;
    this.schedule();
  }

  private schedule(): void {
    const next = this.origin + (this.ticks + 1) * FRAME_MS;
    this.timer = setTimeout(() => this.run(), Math.max(0, next - performance.now()));
  }

  private run(): void {
    this.timer = undefined;
    let due = Math.floor((performance.now() - this.origin) / FRAME_MS) - this.ticks;
    if (due > MAX_CATCH_UP_TICKS) {
      this.skippedTicks += due - MAX_CATCH_UP_TICKS;
      this.ticks += due - MAX_CATCH_UP_TICKS;
      due = MAX_CATCH_UP_TICKS;
    }
    this.maxBurst = Math.max(this.maxBurst, due);
    for (let i = 0; i < due; i++) {
      this.ticks++;
      const at = performance.now();
      // Copy: a subscriber may unsubscribe itself (stream stopped) during its tick.
      for (const sub of [...this.subscribers]) sub.onTick(at);
    }
    if (this.subscribers.size > 0) this.schedule();
  }
}
