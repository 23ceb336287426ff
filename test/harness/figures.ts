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

/** Records a measured value that is not a duration (memory, counts), with its unit. */
export function recordValue(subject: string, measure: string, value: number, unit: string): void {
  mkdirSync('test-artifacts', { recursive: true });
  appendFileSync(FILE, `${JSON.stringify({ fault: subject, measure, value: Math.round(value * 10) / 10, unit })}\n`);
}
