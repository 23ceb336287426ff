import { addLocalDays, localDate, localMinutes } from '../scheduling/clinic-time.js';
import type { Slot } from '../scheduling/types.js';

/** At most this many alternatives are read to a caller: more is a list, not a choice. */
export const MAX_ALTERNATIVES = 4;
/**
 * How far either side of the asked-for day the nearest days are looked for: a week in all,
 * one search about as costly as check_availability's own (a fortnight took p99 7.3 ms on
 * the bench's year of 20 diaries, over the 5 ms a caller's turn can spare).
 */
export const NEAREST_DAYS = 3;

/**
 * The times to offer when the asked-for one is taken, as a receptionist would: the nearest
 * free time before and after it that day, then the nearest days (the day after, the day
 * before, two days after…), each at the free time closest to the hour asked for. One slot
 * per start time, whoever the provider; returned in order of time. Pure: `slots` are every
 * free slot around the asked-for day, from any provider who offers the service.
 */
export function nearestTimes(slots: readonly Slot[], wanted: number, tz: string, now: number, max = MAX_ALTERNATIVES): Slot[] {
  const byStart = new Map<number, Slot>();
  for (const s of [...slots].sort((a, b) => a.start - b.start || a.providerId - b.providerId)) if (s.start > now && !byStart.has(s.start)) byStart.set(s.start, s);
  const byDay = new Map<string, Slot[]>();
  for (const s of byStart.values()) {
    const day = localDate(s.start, tz);
    const list = byDay.get(day);
    if (list) list.push(s);
    else byDay.set(day, [s]);
  }

  const picked: Slot[] = [];
  const wantedDay = localDate(wanted, tz);
  const sameDay = byDay.get(wantedDay) ?? [];
  const before = sameDay.filter((s) => s.start < wanted).at(-1);
  const after = sameDay.find((s) => s.start > wanted);
  for (const s of [before, after]) if (s) picked.push(s);
  // Only one side free that day: the next nearest that day too, so the caller still has a choice.
  if (picked.length === 1) {
    const next = sameDay.filter((s) => s !== picked[0]).sort((a, b) => Math.abs(a.start - wanted) - Math.abs(b.start - wanted))[0];
    if (next) picked.push(next);
  }

  const wantedMinute = localMinutes(wanted, tz);
  const closestToHour = (list: Slot[]) => list.reduce((best, s) => (Math.abs(localMinutes(s.start, tz) - wantedMinute) < Math.abs(localMinutes(best.start, tz) - wantedMinute) ? s : best));
  for (let d = 1; d <= NEAREST_DAYS && picked.length < max; d++) {
    for (const day of [addLocalDays(wantedDay, d), addLocalDays(wantedDay, -d)]) {
      const list = byDay.get(day);
      if (list && picked.length < max) picked.push(closestToHour(list));
    }
  }
  return picked.slice(0, max).sort((a, b) => a.start - b.start);
}
