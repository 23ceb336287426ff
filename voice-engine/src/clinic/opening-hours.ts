import { isoWeekday, localDate, localMinutes } from '../scheduling/clinic-time.js';
import { isClosedOn } from '../scheduling/bookable-hours.js';
import type { Closure, WeeklyHours } from '../scheduling/types.js';

/**
 * Whether the clinic is open at an instant, in its own time zone: within that weekday's
 * opening hours and not on a closure (a holiday counts as after hours all day).
 */
export function isOpenAt(hours: WeeklyHours, closures: readonly Closure[], tz: string, instant: number): boolean {
  const date = localDate(instant, tz);
  if (isClosedOn(date, closures)) return false;
  const minute = localMinutes(instant, tz);
  return (hours[isoWeekday(date, tz)] ?? []).some((r) => r.startMin <= minute && minute < r.endMin);
}
