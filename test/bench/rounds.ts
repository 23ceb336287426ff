import type { LevelResult } from './level.js';

/**
 * One subject's rounds at one level, summed up for the report: the round whose caller→OpenAI
 * p99 is the median stands for the level (its other figures fill the table), and the median
 * p99 in each direction, taken separately, is what the floor ratio compares. Every round's
 * p99 stays in the result, so a wide spread is visible rather than averaged away.
 */
export function withMedianRounds(runs: LevelResult[]): LevelResult {
  const done = runs.filter((r) => !r.error && r.probe?.callerToOpenAi.p99 != null && r.probe.openAiToCaller.p99 != null);
  if (done.length === 0) return runs[0]!;
  const up = (r: LevelResult) => r.probe!.callerToOpenAi.p99!;
  const down = (r: LevelResult) => r.probe!.openAiToCaller.p99!;
  const byUp = [...done].sort((a, b) => up(a) - up(b));
  const representative = byUp[Math.floor((byUp.length - 1) / 2)]!;
  return {
    ...representative,
    // A round that failed still counts against the level, as it did with one round.
    error: runs.find((r) => r.error)?.error,
    rounds: runs.map((r) => ({ upP99: r.probe?.callerToOpenAi.p99 ?? null, downP99: r.probe?.openAiToCaller.p99 ?? null, lost: r.probe ? r.probe.callerFramesLost + r.probe.replyChunksLost : null })),
    medianP99: { up: median(done.map(up)), down: median(done.map(down)) },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
