import { describe, expect, it } from 'vitest';
import { median, pooledP99, combineRounds } from '../bench/rounds.js';
import type { LevelResult } from '../bench/level.js';

function run(up: number, down: number, lost = 0, error?: string): LevelResult {
  return {
    subject: 'deskline', calls: 100, attempts: 1, connected: 100, droppedCalls: 0, rampMs: 0, windowMs: 8000, error,
    probe: { callerToOpenAi: { p99: up }, openAiToCaller: { p99: down }, callerFramesLost: lost, replyChunksLost: 0 } as LevelResult['probe'],
    engine: { pid: 1, cpuPercent: 0, cpuSystemPercent: 0, idleRssMb: 0, peakRssMb: 0, rssPerCallMb: 0, warnings: [] },
    bench: { cpuPercent: 0, loopDelayP99Ms: 0, loopDelayMaxMs: 0, stalledMs: 0 },
    machine: { cores: 2, busyPercent: 0, softirqPercent: 0, otherProcessesPercent: 0, backgroundBeforePercent: 0 },
    twilioClock: { phases: 10, skippedTicks: 0, maxBurst: 0, maxLateMs: 0 },
  };
}

describe('bench rounds', () => {
  it('compares by the median p99 of each direction, keeps every round, and stands the median round for the rest', () => {
    const r = combineRounds([run(9, 3), run(4, 8), run(5, 5, 2)]);
    expect(r.medianP99).toEqual({ up: 5, down: 5 });
    expect(r.probe!.callerToOpenAi.p99).toBe(5);
    expect(r.rounds).toEqual([{ upP99: 9, downP99: 3, lost: 0 }, { upP99: 4, downP99: 8, lost: 0 }, { upP99: 5, downP99: 5, lost: 2 }]);
  });

  it('a failed round is not a latency sample, but its error stays on the level', () => {
    const r = combineRounds([run(3, 3), run(99, 99, 0, 'engine exited')]);
    expect(r.medianP99).toEqual({ up: 3, down: 3 });
    expect(r.error).toBe('engine exited');
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('judges by the p99 over every round\'s samples together: short rounds stop resting on one sample, and a slow round is not outvoted', () => {
    const round = (slow: number[]) => {
      const values = Float64Array.from([...Array.from({ length: 100 - slow.length }, () => 1), ...slow]);
      const ownP99 = Float64Array.from(values).sort()[98]!; // nearest rank: the 99th of 100
      const r = run(ownP99, ownP99);
      r.probe!.samples = { up: values, down: values };
      return r;
    };
    // 100 samples a round: each round's own p99 is its 2nd slowest; pooled, the 4th slowest of 300.
    const short = combineRounds([round([9, 8]), round([7, 6]), round([5, 4])]);
    expect(short.medianP99).toEqual({ up: 6, down: 6 });
    expect(short.pooledP99).toEqual({ up: 6, down: 6, upN: 300, downN: 300 });
    // One round slow throughout (5 of its 100 at 10 ms): the median of the rounds' p99s does not see it.
    const oneBad = combineRounds([round([10, 10, 10, 10, 10]), round([]), round([])]);
    expect(oneBad.medianP99).toEqual({ up: 1, down: 1 });
    expect(oneBad.pooledP99).toEqual({ up: 10, down: 10, upN: 300, downN: 300 });
  });

  it('has no pooled p99 when a round kept no samples, and the report then falls back to the median', () => {
    expect(pooledP99([run(1, 1)])).toBeUndefined();
    expect(combineRounds([run(2, 2), run(3, 3)]).pooledP99).toBeUndefined();
  });
});
