import { performance } from 'node:perf_hooks';

/**
 * When did the bench process itself stall? A 2 ms interval notes every gap longer than
 * `thresholdMs` beyond its period. A latency outlier that overlaps one of these was (at
 * least partly) the simulators' fault; one that does not was the engine's or the kernel's.
 */
export class StallWatch {
  readonly stalls: Array<{ at: number; ms: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(private readonly periodMs = 2, private readonly thresholdMs = 3) {}

  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.last - this.periodMs;
      if (late > this.thresholdMs) this.stalls.push({ at: this.last + this.periodMs, ms: late });
      this.last = now;
    }, this.periodMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Bench stalls overlapping [from, to], as "12.3ms@+4.0" (start relative to `from`). */
  during(from: number, to: number): string[] {
    return this.stalls.filter((s) => s.at < to && s.at + s.ms > from).map((s) => `${s.ms.toFixed(1)}ms@${(s.at - from).toFixed(1)}`);
  }

  /** How many of these [at, at + value] intervals overlap a bench stall. */
  overlapping(samples: ReadonlyArray<{ at: number; value: number }>): number {
    let n = 0;
    for (const s of samples) if (this.stalls.some((x) => x.at < s.at + s.value && x.at + x.ms > s.at)) n++;
    return n;
  }

  /** Share of [from, to] the bench spent stalled. */
  stalledMs(from: number, to: number): number {
    let total = 0;
    for (const s of this.stalls) total += Math.max(0, Math.min(to, s.at + s.ms) - Math.max(from, s.at));
    return total;
  }
}
