/** Latency samples and their summary; nearest-rank percentiles over all samples (no sampling). */

/** Worst samples kept with a tag (e.g. when in the window, which call) for diagnosis. */
export interface Outlier {
  value: number;
  at: number;
  owner: number;
}

export class Samples {
  private data = new Float64Array(1024);
  length = 0;
  readonly worst: Outlier[] = [];
  /** Start times and values of samples above `slowOver`, to check them against bench stalls. */
  readonly slow: Array<{ at: number; value: number }> = [];

  constructor(private readonly keepWorst = 0, private readonly slowOver = Infinity) {}

  /** `at` and `owner` label the sample if it is kept as one of the worst or as slow. */
  push(value: number, at = 0, owner = -1): void {
    if (value > this.slowOver) this.slow.push({ at, value });
    if (this.keepWorst > 0 && (this.worst.length < this.keepWorst || value > this.worst[this.worst.length - 1]!.value)) {
      this.worst.push({ value, at, owner });
      this.worst.sort((a, b) => b.value - a.value);
      if (this.worst.length > this.keepWorst) this.worst.pop();
    }
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  summary(): Summary {
    return summarize(this.data.subarray(0, this.length));
  }

  /** Every sample, in the order pushed (a copy). */
  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export interface Summary {
  n: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (n === 0) return { n, p50: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n, p50: rank(sorted, 0.5), p99: rank(sorted, 0.99), max: sorted[n - 1]!, mean: sum / n };
}

/** Nearest-rank percentile: the smallest sample with at least q of the samples at or below it. */
export function rank(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function round(value: number | null, digits = 2): number | null {
  if (value === null || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
