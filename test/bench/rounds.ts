import type { LevelResult } from './level.js';
import { rank } from './stats.js';

/**
 * One subject's rounds at one level, summed up for the report. The floor ratio compares the
 * p99 over every round's samples together (pooledP99): at one call a round has about 120
 * reply chunks, so a round's own p99 is its second-slowest chunk, and the median of five such
 * figures still rests on ten samples; pooled, the p99 of 5 rounds is the 6th slowest of about
 * 600, and at higher levels a slow round counts with all its samples instead of being
 * outvoted. The median of the rounds' p99s stays as context, every round's p99 is kept so
 * a wide spread is visible, and the round whose caller→OpenAI p99 is the median stands for
 * the level's other figures.
 */
export function combineRounds(runs: LevelResult[]): LevelResult {
  const done = runs.filter((r) => !r.error && r.probe?.callerToOpenAi.p99 != null && r.probe.openAiToCaller.p99 != null);
  if (done.length === 0) return runs[0]!;
  const up = (r: LevelResult) => r.probe!.callerToOpenAi.p99!;
  const down = (r: LevelResult) => r.probe!.openAiToCaller.p99!;
  const byUp = [...done].sort((a, b) => up(a) - up(b));
  const representative = byUp[Math.floor((byUp.length - 1) / 2)]!;
  const pooled = pooledP99(done);
  return {
    ...representative,
    // A round that failed still counts against the level, as it did with one round.
    error: runs.find((r) => r.error)?.error,
    rounds: runs.map((r) => ({ upP99: r.probe?.callerToOpenAi.p99 ?? null, downP99: r.probe?.openAiToCaller.p99 ?? null, lost: r.probe ? r.probe.callerFramesLost + r.probe.replyChunksLost : null })),
    medianP99: { up: median(done.map(up)), down: median(done.map(down)) },
    ...(pooled ? { pooledP99: pooled } : {}),
  };
}

/** Nearest-rank p99 per direction over all rounds' samples; undefined when a round kept none. */
export function pooledP99(rounds: LevelResult[]): LevelResult['pooledP99'] {
  if (rounds.some((r) => !r.probe?.samples)) return undefined;
  const all = (pick: (s: { up: Float64Array; down: Float64Array }) => Float64Array) =>
    Float64Array.from(rounds.flatMap((r) => Array.from(pick(r.probe!.samples!)))).sort();
  const up = all((s) => s.up);
  const down = all((s) => s.down);
  if (up.length === 0 || down.length === 0) return undefined;
  return { up: rank(up, 0.99), down: rank(down, 0.99), upN: up.length, downN: down.length };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
