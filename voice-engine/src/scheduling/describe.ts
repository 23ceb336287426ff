import { DateTime } from 'luxon';
import { normalizeRanges } from './bookable-hours.js';
import type { IsoWeekday, Service, Slot, TimeRange, WeeklyHours } from './types.js';

/**
 * How the receptionist puts times, prices and hours into words. The phrasing is fixed
 * English ("Tuesday 25 November at 2:00 PM") whatever the machine's locale, because
 * the model repeats it to callers and tests pin it.
 */

const WEEKDAY_NAMES: Record<IsoWeekday, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
};
const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

/** "Tuesday 25 November at 2:00 PM" on the clinic's wall clock. */
export function describeTime(instant: number, tz: string): string {
  const dt = DateTime.fromMillis(instant, { zone: tz, locale: 'en-US' });
  if (!dt.isValid) throw new RangeError(`cannot describe ${instant} in "${tz}"`);
  return `${dt.toFormat('cccc d LLLL')} at ${clockTime(dt.hour * 60 + dt.minute)}`;
}

/**
 * "Tuesday 25 November at 2:00 PM with Priya". Always the concrete date, never "today"
 * or "tomorrow": callers repeat dates back, and a relative word said near midnight is
 * easy to misread. `now` is part of the signature so phrasing may depend on it later.
 */
export function describeSlot(slot: Pick<Slot, 'start'>, providerName: string, tz: string, now: number): string {
  void now;
  return `${describeTime(slot.start, tz)} with ${providerName}`;
}

/** "$120", "$95.50", "from $1,200", or null when the clinic has not set a price. */
export function describePrice(service: Pick<Service, 'priceCents' | 'priceFrom'>): string | null {
  const cents = service.priceCents;
  if (cents === null || !Number.isFinite(cents) || cents < 0) return null;
  const amount = (cents / 100).toLocaleString('en-US', {
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  });
  return service.priceFrom ? `from $${amount}` : `$${amount}`;
}

/** Minutes after midnight as "9:00 AM"; 1440 (closing at midnight) reads "12:00 AM". */
export function clockTime(minutes: number): string {
  const inDay = ((Math.round(minutes) % 1440) + 1440) % 1440;
  const hour = Math.floor(inDay / 60);
  const minute = inDay % 60;
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${hour12}:${String(minute).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`;
}

function describeRanges(ranges: readonly TimeRange[]): string {
  return ranges.map((r) => `${clockTime(r.startMin)}–${clockTime(r.endMin)}`).join(' and ');
}

function describeDays(first: IsoWeekday, last: IsoWeekday): string {
  if (first === last) return WEEKDAY_NAMES[first];
  const joiner = last - first === 1 ? ' and ' : ' to ';
  return `${WEEKDAY_NAMES[first]}${joiner}${WEEKDAY_NAMES[last]}`;
}

/**
 * Compact weekly hours for the model's instructions, consecutive days with the same
 * hours grouped: "Monday to Friday 9:00 AM–5:00 PM; Saturday 9:00 AM–1:00 PM; closed Sunday".
 */
export function describeHours(hours: WeeklyHours): string {
  const texts = WEEKDAYS.map((day) => {
    // Normalized as availability reads them, so the model is told the hours it can book.
    const ranges = normalizeRanges(hours[day]);
    return ranges.length === 0 ? null : describeRanges(ranges);
  });
  const first = texts[0];
  if (texts.every((t) => t === first)) return first === null || first === undefined ? 'closed every day' : `every day ${first}`;

  const parts: string[] = [];
  let runStart = 0;
  for (let i = 1; i <= WEEKDAYS.length; i++) {
    if (i < WEEKDAYS.length && texts[i] === texts[runStart]) continue;
    const days = describeDays(WEEKDAYS[runStart]!, WEEKDAYS[i - 1]!);
    const text = texts[runStart];
    parts.push(text ? `${days} ${text}` : `closed ${days}`);
    runStart = i;
  }
  return parts.join('; ');
}
