import { benchBooking, type BookingBenchResult } from './booking.js';
import { benchSchedulingCore } from './scheduling-core.js';

const TARGET_MS = 5;

export interface SchedulingReport {
  appointments: number;
  rows: Array<BookingBenchResult & { target: string }>;
  markdown: string;
}

/** The receptionist's diary under a busy clinic's year: the figures issue 3 sets targets for. */
export async function schedulingReport(): Promise<SchedulingReport> {
  const { appointments, results } = await benchBooking();
  const core = benchSchedulingCore();
  const rows = [
    ...results.map((r) => ({ ...r, target: `p99 < ${TARGET_MS}` })),
    ...core.map((r) => ({ ...r, target: '(context: pure core)' })),
  ];
  const line = (r: (typeof rows)[number]) => {
    const verdict = r.target.startsWith('p99') ? (r.p99 < TARGET_MS ? ' ✅' : ' ❌') : '';
    return `| ${r.name} | ${r.target} | ${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} / ${r.max.toFixed(2)}${verdict} |`;
  };
  const markdown =
    `## Scheduling with a year of appointments for 20 providers (${appointments} appointments, real SQLite file, synchronous=FULL)\n\n` +
    '| measure | target ms | p50 / p99 / max ms |\n|---|---|---|\n' +
    rows.map(line).join('\n') +
    '\n';
  return { appointments, rows, markdown };
}
