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
 *
 * With `phases` > 1 the 20 ms frame period is cut into that many sub-ticks and each new
 * subscriber joins the next phase round-robin, so calls send their frames spread over the
 * period as independent Twilio streams do, instead of all in the same instant. Each
 * subscriber still gets exactly one onTick per 20 ms. The default (1) is one aligned tick.
 */
export class FrameClock {
  /** Each subscriber and the phase (sub-tick within the 20 ms period) it ticks on. */
  private readonly subscribers = new Map<ClockSubscriber, number>();
  private nextPhase = 0;
  private timer: NodeJS.Timeout | undefined;
  private origin = 0;
  private ticks = 0;
  /** Milliseconds between timer ticks: FRAME_MS / phases. */
  readonly tickMs: number;
  /** Ticks (of tickMs) dropped because the process stalled for longer than a catch-up burst allows. */
  skippedTicks = 0;
  /** Largest number of ticks (of tickMs) run in one timer callback; >1 means the event loop was late. */
  maxBurst = 0;

  constructor(readonly phases = 1) {
    if (!Number.isInteger(phases) || phases < 1 || phases > FRAME_MS) throw new RangeError(`FrameClock phases must be an integer 1..${FRAME_MS}`);
    this.tickMs = FRAME_MS / phases;
  }

  add(sub: ClockSubscriber): void {
    if (!this.subscribers.has(sub)) {
      this.subscribers.set(sub, this.nextPhase);
      this.nextPhase = (this.nextPhase + 1) % this.phases;
    }
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
    const next = this.origin + (this.ticks + 1) * this.tickMs;
    this.timer = setTimeout(() => this.run(), Math.max(0, next - performance.now()));
  }

  private run(): void {
    this.timer = undefined;
    const maxCatchUp = MAX_CATCH_UP_TICKS * this.phases;
    let due = Math.floor((performance.now() - this.origin) / this.tickMs) - this.ticks;
    if (due > maxCatchUp) {
      this.skippedTicks += due - maxCatchUp;
      this.ticks += due - maxCatchUp;
      due = maxCatchUp;
    }
    this.maxBurst = Math.max(this.maxBurst, due);
    for (let i = 0; i < due; i++) {
      const phase = this.ticks % this.phases;
      this.ticks++;
      const at = performance.now();
      // Copy: a subscriber may unsubscribe itself (stream stopped) during its tick.
      for (const [sub, p] of [...this.subscribers]) if (p === phase) sub.onTick(at);
    }
    if (this.subscribers.size > 0) this.schedule();
  }
}
