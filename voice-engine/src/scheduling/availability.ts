import { bookableWindows, fitsWindow, isClosedOn, NormalizedWeek, normalizeRanges, type BookableWindow } from './bookable-hours.js';
import { dateRange, instantOnDay, isSkippedWallTime, localDate, localDay, localMinutes, plusLocalDays } from './clinic-time.js';
import type { AvailabilityQuery, BusyInterval, SchedulingRules, Service, Slot } from './types.js';

/**
 * Which appointment slots are free. findSlots searches a window for offers; checkSlot
 * re-validates one requested slot for the booking transaction. Both apply the same
 * rules through the same pieces: the bookable span (lead time and horizon), closures,
 * clinic ∩ provider hours, the wall-clock slot grid, and the provider's busy time.
 */

const MINUTE_MS = 60_000;

export type SlotProblem = 'closed' | 'outside_hours' | 'too_soon' | 'too_far' | 'taken' | 'misaligned';
export type SlotCheck = { ok: true } | { ok: false; reason: SlotProblem };
/** What checkSlot needs: a query without the search window and limit. */
export type SlotCheckInput = Omit<AvailabilityQuery, 'from' | 'to' | 'limit'>;

/** Starts allowed by lead time and horizon, intersected with [from, to). */
export function bookableSpan(rules: SchedulingRules, now: number, from = -Infinity, to = Infinity): { from: number; to: number } {
  return {
    from: Math.max(from, now + rules.minLeadMinutes * MINUTE_MS),
    // Calendar days on the clinic's clock: "30 days out" keeps the time of day across DST.
    to: Math.min(to, plusLocalDays(now, rules.horizonDays, rules.timezone)),
  };
}

function assertUsable(service: Service, rules: SchedulingRules): void {
  // Bad settings would otherwise loop forever (step 0) or offer nonsense (NaN instants).
  const step = rules.slotStepMinutes;
  if (!Number.isInteger(step) || step < 1 || step > 1440) throw new RangeError(`slotStepMinutes must be 1..1440, got ${step}`);
  if (!(service.durationMin > 0)) throw new RangeError(`service ${service.id} durationMin must be positive`);
  if (!(service.bufferAfterMin >= 0)) throw new RangeError(`service ${service.id} bufferAfterMin must not be negative`);
  if (!(rules.minLeadMinutes >= 0) || !Number.isFinite(rules.minLeadMinutes)) throw new RangeError('minLeadMinutes must be a finite number ≥ 0');
  if (!(rules.horizonDays >= 0) || !Number.isFinite(rules.horizonDays)) throw new RangeError('horizonDays must be a finite number ≥ 0');
}

/**
 * A provider's busy time as sorted, disjoint intervals, for overlap questions asked in
 * (mostly) increasing order: a cursor walks forward, and a binary search takes over
 * whenever a question goes back in time.
 */
export class BusyTimeline {
  /** Sorted by start, disjoint, none empty: so ends are increasing too. */
  private readonly intervals: readonly BusyInterval[];
  private cursor = 0;

  constructor(intervals: readonly BusyInterval[]) {
    // The store hands over sorted, mostly disjoint intervals: use them as they are when
    // they already are, and pay for a sorted, merged copy only when not.
    let clean = true;
    for (let i = 0; i < intervals.length && clean; i++) {
      const current = intervals[i]!;
      clean = current.end > current.start && (i === 0 || intervals[i - 1]!.end <= current.start);
    }
    this.intervals = clean ? intervals : mergeBusy(intervals);
  }

  /** True when [start, end) overlaps busy time; touching an interval's edge is not overlap. */
  overlaps(start: number, end: number): boolean {
    const intervals = this.intervals;
    // The first interval still running after `start` decides.
    if (this.cursor > 0 && intervals[this.cursor - 1]!.end > start) this.cursor = this.firstEndingAfter(start);
    while (this.cursor < intervals.length && intervals[this.cursor]!.end <= start) this.cursor++;
    const next = intervals[this.cursor];
    return next !== undefined && next.start < end;
  }

  private firstEndingAfter(instant: number): number {
    let lo = 0;
    let hi = this.intervals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.intervals[mid]!.end <= instant) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function mergeBusy(intervals: readonly BusyInterval[]): BusyInterval[] {
  const sorted = intervals.filter((b) => b.end > b.start).sort((a, b) => a.start - b.start);
  const merged: BusyInterval[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

interface ProviderSearch {
  id: number;
  week: NormalizedWeek;
  /** Built on first use: a search that fills `limit` early never looks at most providers' busy time. */
  busy: BusyTimeline | null;
  windows: BookableWindow[];
  /** First of today's windows that can still hold the current start. */
  window: number;
}

/**
 * Free slots in [from, to) clipped to lead time and horizon, earliest first, then by
 * provider id, at most `limit`. Walks each open day's slot grid once in time order,
 * asking every provider about each start, so it stops as soon as `limit` is reached.
 */
export function findSlots(query: AvailabilityQuery): Slot[] {
  const { service, rules } = query;
  assertUsable(service, rules);
  const span = bookableSpan(rules, query.now, query.from, query.to);
  if (query.limit <= 0 || query.providers.length === 0 || !(span.to > span.from)) return [];

  const step = rules.slotStepMinutes;
  const durationMs = service.durationMin * MINUTE_MS;
  const blockMs = (service.durationMin + service.bufferAfterMin) * MINUTE_MS;
  const clinic = new NormalizedWeek(query.clinicHours);
  const providers: ProviderSearch[] = [...query.providers]
    .sort((a, b) => a.id - b.id)
    // A provider listed twice (say, by preference and by service) is still one person.
    .filter((p, i, sorted) => i === 0 || sorted[i - 1]!.id !== p.id)
    .map((p) => ({ id: p.id, week: new NormalizedWeek(p.hours), busy: null, windows: [], window: 0 }));
  const slots: Slot[] = [];

  for (const date of dateRange(span.from, span.to, rules.timezone)) {
    if (isClosedOn(date, query.closures)) continue;
    const day = localDay(date, rules.timezone);
    const clinicToday = clinic.on(day.weekday);
    if (clinicToday.length === 0) continue;

    let firstMin = Infinity;
    let lastMin = -Infinity;
    for (const p of providers) {
      p.windows = bookableWindows(day, clinicToday, p.week.on(day.weekday));
      p.window = 0;
      const first = p.windows[0];
      const last = p.windows[p.windows.length - 1];
      if (first && last) {
        firstMin = Math.min(firstMin, first.startMin);
        lastMin = Math.max(lastMin, last.endMin);
      }
    }

    // The grid is wall-clock minutes, so 9:00 stays 9:00 across DST; times the clocks
    // skip are not offered, and a repeated hour is offered once (its first occurrence).
    for (let minutes = Math.ceil(firstMin / step) * step; minutes < lastMin; minutes += step) {
      if (isSkippedWallTime(day, minutes)) continue;
      const start = instantOnDay(day, minutes);
      if (start < span.from) continue;
      if (start >= span.to) return slots;
      for (const p of providers) {
        // Windows end in increasing order: one that ends too early for this start ends
        // too early for every later start.
        while (p.window < p.windows.length && p.windows[p.window]!.end < start + durationMs) p.window++;
        const window = p.windows[p.window];
        if (!window || start < window.start) continue;
        p.busy ??= new BusyTimeline(query.busy.get(p.id) ?? []);
        if (p.busy.overlaps(start, start + blockMs)) continue;
        slots.push({ providerId: p.id, start, end: start + durationMs, blockEnd: start + blockMs });
        if (slots.length >= query.limit) return slots;
      }
    }
  }
  return slots;
}

/**
 * Whether one provider can take the service at `slot.start`, by the rules findSlots
 * offers with (a slot findSlots returned passes, given the same busy time). A provider
 * missing from `providers` counts as outside hours: they don't work for this service,
 * or no longer do.
 */
export function checkSlot(input: SlotCheckInput, slot: Pick<Slot, 'providerId' | 'start'>): SlotCheck {
  const { service, rules } = input;
  assertUsable(service, rules);
  const tz = rules.timezone;
  const span = bookableSpan(rules, input.now);
  if (slot.start < span.from) return { ok: false, reason: 'too_soon' };
  if (slot.start >= span.to) return { ok: false, reason: 'too_far' };

  const day = localDay(localDate(slot.start, tz), tz);
  const clinicToday = normalizeRanges(input.clinicHours[day.weekday]);
  if (clinicToday.length === 0 || isClosedOn(day.date, input.closures)) return { ok: false, reason: 'closed' };

  const provider = input.providers.find((p) => p.id === slot.providerId);
  const durationMs = service.durationMin * MINUTE_MS;
  const windows = provider ? bookableWindows(day, clinicToday, normalizeRanges(provider.hours[day.weekday])) : [];
  if (!fitsWindow(windows, slot.start, durationMs)) return { ok: false, reason: 'outside_hours' };

  const minutes = localMinutes(slot.start, tz);
  if (minutes % rules.slotStepMinutes !== 0 || instantOnDay(day, minutes) !== slot.start) return { ok: false, reason: 'misaligned' };

  const blockEnd = slot.start + (service.durationMin + service.bufferAfterMin) * MINUTE_MS;
  if (new BusyTimeline(input.busy.get(slot.providerId) ?? []).overlaps(slot.start, blockEnd)) return { ok: false, reason: 'taken' };
  return { ok: true };
}
