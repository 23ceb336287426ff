import { describe, expect, it } from 'vitest';
import { planCoreSplit } from '../bench/core-split.js';

describe('bench core split', () => {
  it('gives the simulators the first half of the cores and the measured bridge the rest, from 4 cores', () => {
    expect(planCoreSplit({}, 4)).toEqual({ bench: '0-1', subject: '2-3' });
    expect(planCoreSplit({}, 6)).toEqual({ bench: '0-2', subject: '3-5' });
    expect(planCoreSplit({}, 5)).toEqual({ bench: '0-1', subject: '2-4' });
  });

  it('leaves 2 or 3 cores shared unless BENCH_PIN=1, and never pins with BENCH_PIN=0 or one core', () => {
    expect(planCoreSplit({}, 2)).toBeNull();
    expect(planCoreSplit({}, 3)).toBeNull();
    expect(planCoreSplit({ BENCH_PIN: '1' }, 2)).toEqual({ bench: '0', subject: '1' });
    expect(planCoreSplit({ BENCH_PIN: '0' }, 8)).toBeNull();
    expect(planCoreSplit({ BENCH_PIN: '1' }, 1)).toBeNull();
  });
});
