import { appendFileSync, mkdirSync } from 'node:fs';

const FILE = 'test-artifacts/supervision-figures.jsonl';

/**
 * Records a measured figure (never asserted: timings are for the closing note and the
 * README, not pass/fail) as one JSON line in test-artifacts/.
 */
export function recordFigure(fault: string, measure: string, ms: number): void {
  mkdirSync('test-artifacts', { recursive: true });
  appendFileSync(FILE, `${JSON.stringify({ fault, measure, seconds: Math.round(ms) / 1000 })}\n`);
}
