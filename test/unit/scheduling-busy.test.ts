import { describe, expect, it } from 'vitest';
import { BusyTimeline } from '../../voice-engine/src/scheduling/availability.js';
import type { BusyInterval } from '../../voice-engine/src/scheduling/types.js';

/** Seeded so a failure reproduces. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The obvious answer; an empty interval [t, t) holds no time. */
const overlapsByScan = (busy: readonly BusyInterval[], start: number, end: number) =>
  busy.some((b) => b.end > b.start && b.start < end && b.end > start);

describe('BusyTimeline', () => {
  it('treats busy time as half-open', () => {
    const timeline = new BusyTimeline([{ start: 100, end: 200 }]);
    expect(timeline.overlaps(50, 100)).toBe(false); // ends as the appointment starts
    expect(timeline.overlaps(200, 250)).toBe(false); // starts as it ends
    expect(timeline.overlaps(199, 250)).toBe(true);
    expect(timeline.overlaps(50, 101)).toBe(true);
    expect(timeline.overlaps(120, 130)).toBe(true); // inside
    expect(timeline.overlaps(0, 1000)).toBe(true); // around
  });

  it('ignores empty and inverted intervals', () => {
    const timeline = new BusyTimeline([{ start: 100, end: 100 }, { start: 300, end: 200 }]);
    expect(timeline.overlaps(0, 1000)).toBe(false);
  });

  it('answers like a full scan, for messy input and questions in any order', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const busy: BusyInterval[] = Array.from({ length: 1 + Math.floor(random() * 40) }, () => {
        const start = Math.floor(random() * 1000);
        return { start, end: start + Math.floor(random() * 80) - 5 };
      });
      // Half the rounds hand over a sorted, disjoint list, as the store usually does.
      const input = round % 2 === 0 ? busy : mergedForStore(busy);
      const timeline = new BusyTimeline(input);
      const questions = Array.from({ length: 200 }, () => {
        const start = Math.floor(random() * 1100) - 50;
        return [start, start + 1 + Math.floor(random() * 60)] as const;
      });
      if (round % 3 === 0) questions.sort((a, b) => a[0] - b[0]); // the findSlots pattern
      for (const [start, end] of questions) {
        expect([round, start, end, timeline.overlaps(start, end)]).toEqual([round, start, end, overlapsByScan(input, start, end)]);
      }
    }
  });

  it('does not reorder or change the caller\'s intervals', () => {
    const busy = [{ start: 300, end: 400 }, { start: 100, end: 350 }];
    const copy = structuredClone(busy);
    new BusyTimeline(busy).overlaps(0, 1000);
    expect(busy).toEqual(copy);
  });
});

function mergedForStore(busy: BusyInterval[]): BusyInterval[] {
  const out: BusyInterval[] = [];
  for (const b of [...busy].filter((x) => x.end > x.start).sort((x, y) => x.start - y.start)) {
    const last = out[out.length - 1];
    if (last && b.start <= last.end) last.end = Math.max(last.end, b.end);
    else out.push({ ...b });
  }
  return out;
}
