import { performance } from 'node:perf_hooks';
import { checkSlot, findSlots } from '../../voice-engine/src/scheduling/availability.js';
import { atLocalTime, isoWeekday, localMinutes } from '../../voice-engine/src/scheduling/clinic-time.js';
import type { AvailabilityQuery, BusyInterval, Provider, Service, TimeRange, WeeklyHours } from '../../voice-engine/src/scheduling/types.js';
import { seededRandom } from '../sim/seeded-random.js';

/**
 * Micro-benchmark of the pure scheduling core against a busy clinic: 20 providers with
 * a year of appointments (about 8 a weekday each, ~42,000 in all), asked about random
 * 7-day windows. Busy time reaches findSlots the way the store hands it over: only the
 * intervals overlapping the window, found by binary search in per-provider sorted
 * arrays (that lookup is not timed). Deterministic (seeded), prints nothing.
 */

export interface SchedulingBenchResult {
  name: string;
  /** Milliseconds per call. */
  p50: number;
  p99: number;
  max: number;
}

const TZ = 'America/New_York';
const PROVIDERS = 20;
const WINDOWS = 1000;
const WARMUP = 100;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const weekdays = (...ranges: TimeRange[]): WeeklyHours => ({ 1: ranges, 2: ranges, 3: ranges, 4: ranges, 5: ranges });

/** About eight appointments (with their buffers) each weekday of 2026, back to back with random gaps. */
function yearOfAppointments(random: () => number): BusyInterval[] {
  const busy: BusyInterval[] = [];
  for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += DAY_MS) {
    const date = new Date(day).toISOString().slice(0, 10);
    if (isoWeekday(date, TZ) > 5) continue;
    let minute = 8 * 60 + Math.floor(random() * 4) * 15;
    for (let i = 0; i < 8; i++) {
      const length = [30, 45, 60][Math.floor(random() * 3)]! + 10;
      if (minute + length > 18 * 60) break;
      busy.push({ start: atLocalTime(date, minute, TZ), end: atLocalTime(date, minute + length, TZ) });
      minute += length + Math.floor(random() * 3) * 15;
    }
  }
  return busy;
}

/** The store's lookup: intervals of a start-sorted, non-overlapping array that overlap [from, to). */
function overlapping(sorted: readonly BusyInterval[], from: number, to: number): BusyInterval[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.end <= from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end]!.start < to) end++;
  return sorted.slice(lo, end);
}

function summarize(name: string, samples: number[]): SchedulingBenchResult {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { name, p50: rank(50), p99: rank(99), max: sorted[sorted.length - 1]! };
}

function time(samples: number[], run: () => unknown): void {
  const started = performance.now();
  run();
  samples.push(performance.now() - started);
}

export function benchSchedulingCore(): SchedulingBenchResult[] {
  const random = seededRandom(20260101);
  const lunch = [{ startMin: 8 * 60, endMin: 12 * 60 }, { startMin: 13 * 60, endMin: 18 * 60 }];
  const providers: Provider[] = Array.from({ length: PROVIDERS }, (_, i) => ({
    id: i + 1,
    name: `Provider ${i + 1}`,
    hours: i % 4 === 0 ? weekdays(...lunch) : weekdays({ startMin: 8 * 60, endMin: 18 * 60 }),
    calendarId: null,
  }));
  const appointments = new Map(providers.map((p) => [p.id, yearOfAppointments(random)]));
  const service: Service = { id: 1, name: 'Consult', durationMin: 30, bufferAfterMin: 10, priceCents: 12000, priceFrom: false, providerIds: providers.map((p) => p.id) };
  const base = {
    service,
    providers,
    clinicHours: { ...weekdays({ startMin: 8 * 60, endMin: 18 * 60 }), 6: [{ startMin: 9 * 60, endMin: 13 * 60 }] },
    closures: [
      { startDate: '2026-07-03', endDate: '2026-07-03', reason: 'Independence Day' },
      { startDate: '2026-12-24', endDate: '2026-12-26', reason: 'Christmas' },
    ],
    rules: { timezone: TZ, minLeadMinutes: 60, horizonDays: 400, slotStepMinutes: 15 },
    now: Date.UTC(2026, 0, 1, 5),
  };

  const queries: AvailabilityQuery[] = [];
  for (let i = 0; i < WARMUP + WINDOWS; i++) {
    const from = base.now + Math.floor(random() * 357 * 24 * 60) * MINUTE_MS;
    const to = from + 7 * DAY_MS;
    const busy = new Map(providers.map((p) => [p.id, overlapping(appointments.get(p.id)!, from, to)]));
    queries.push({ ...base, busy, from, to, limit: 10 });
  }

  const firstTen: number[] = [];
  const wholeWeek: number[] = [];
  const checks: number[] = [];
  let found = 0;
  queries.forEach((query, i) => {
    const measured = i >= WARMUP;
    const firstSamples = measured ? firstTen : [];
    const allSamples = measured ? wholeWeek : [];
    time(firstSamples, () => findSlots(query));
    let all: ReturnType<typeof findSlots> = [];
    time(allSamples, () => (all = findSlots({ ...query, limit: 100_000 })));
    found += all.length;
    // Ask about a grid time inside the window; some are free, some taken or outside hours.
    const start = query.from + Math.floor(random() * 7 * 24 * 4) * 15 * MINUTE_MS;
    const aligned = start - (localMinutes(start, TZ) % 15) * MINUTE_MS - (start % MINUTE_MS);
    const providerId = 1 + Math.floor(random() * PROVIDERS);
    time(measured ? checks : [], () => checkSlot(query, { providerId, start: aligned }));
  });
  if (found === 0) throw new Error('scheduling bench built a schedule with no free slots');

  return [
    summarize('findSlots 7 days × 20 providers, first 10', firstTen),
    summarize('findSlots 7 days × 20 providers, every slot', wholeWeek),
    summarize('checkSlot', checks),
  ];
}
