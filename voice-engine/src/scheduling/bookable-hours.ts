import { instantOnDay, type LocalDay } from './clinic-time.js';
import type { Closure, IsoWeekday, TimeRange, WeeklyHours } from './types.js';

/**
 * When a provider can be booked on one local day: the clinic's opening hours meet the
 * provider's working hours, unless the clinic is closed that day.
 */

/** A bookable stretch of one day, on the wall clock and as instants [start, end). */
export interface BookableWindow {
  startMin: number;
  endMin: number;
  start: number;
  end: number;
}

/** True when a closure (both ends inclusive) covers the local date. */
export function isClosedOn(date: string, closures: readonly Closure[]): boolean {
  // ISO dates compare correctly as strings.
  return closures.some((c) => c.startDate <= date && date <= c.endDate);
}

/**
 * One weekday's ranges, sorted, clamped to the day, and with overlapping or touching
 * ranges merged: hours typed in as 9–12 and 12–5 are one open stretch, so a
 * 60-minute visit may start at 11:30.
 */
export function normalizeRanges(ranges: readonly TimeRange[] | undefined): TimeRange[] {
  if (!ranges || ranges.length === 0) return [];
  const sorted = ranges
    .map((r) => ({ startMin: Math.max(0, r.startMin), endMin: Math.min(1440, r.endMin) }))
    .filter((r) => r.endMin > r.startMin)
    .sort((a, b) => a.startMin - b.startMin);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.startMin <= last.endMin) last.endMin = Math.max(last.endMin, range.endMin);
    else merged.push(range);
  }
  return merged;
}

/** Where two normalized range lists overlap. */
export function intersectRanges(a: readonly TimeRange[], b: readonly TimeRange[]): TimeRange[] {
  const out: TimeRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const startMin = Math.max(x.startMin, y.startMin);
    const endMin = Math.min(x.endMin, y.endMin);
    if (endMin > startMin) out.push({ startMin, endMin });
    if (x.endMin < y.endMin) i++;
    else j++;
  }
  return out;
}

/** Weekly hours normalized once per weekday, on first use. */
export class NormalizedWeek {
  private readonly days = new Map<IsoWeekday, TimeRange[]>();

  constructor(private readonly hours: WeeklyHours) {}

  on(weekday: IsoWeekday): TimeRange[] {
    let ranges = this.days.get(weekday);
    if (!ranges) {
      ranges = normalizeRanges(this.hours[weekday]);
      this.days.set(weekday, ranges);
    }
    return ranges;
  }
}

/** The provider's bookable windows on a day the clinic is open, earliest first. */
export function bookableWindows(day: LocalDay, clinic: readonly TimeRange[], provider: readonly TimeRange[]): BookableWindow[] {
  return intersectRanges(clinic, provider).map((r) => ({
    startMin: r.startMin,
    endMin: r.endMin,
    start: instantOnDay(day, r.startMin),
    end: instantOnDay(day, r.endMin),
  }));
}

/** True when a visit [start, start + durationMs) fits inside one window; the buffer may run past it. */
export function fitsWindow(windows: readonly BookableWindow[], start: number, durationMs: number): boolean {
  return windows.some((w) => start >= w.start && start + durationMs <= w.end);
}
