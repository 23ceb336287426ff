import { DateTime, IANAZone } from 'luxon';
import type { IsoWeekday } from './types.js';

/**
 * The clinic's wall clock. Everything that turns a local date and time into an instant
 * (or back) goes through luxon here, so the rest of scheduling never reasons about
 * UTC offsets.
 *
 * Wall-clock rules on the two DST edges:
 * - A time the clocks skip (spring forward, e.g. 2:30 AM in New York on 2026-03-08)
 *   becomes the instant luxon gives for it: the time read with the offset in force
 *   before the change, which is shifted forward by the gap (3:30 AM EDT).
 * - A time that happens twice (fall back, e.g. 1:30 AM in New York on 2026-11-01)
 *   is its first occurrence (1:30 AM EDT). Luxon alone would pick the second.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function isValidTimezone(tz: string): boolean {
  return typeof tz === 'string' && tz.trim() !== '' && IANAZone.isValidZone(tz);
}

function zoneOf(tz: string): IANAZone {
  // IANAZone.create caches zones and their validity; isValidZone builds an
  // Intl.DateTimeFormat on every call, far too slow for the hot path.
  const zone = IANAZone.create(tz);
  // An unknown zone makes luxon return invalid DateTimes (NaN instants) rather than fail,
  // which would quietly empty every schedule; a loud error points at the setting instead.
  if (!zone.isValid) throw new RangeError(`unknown timezone "${tz}"`);
  return zone;
}

function inZone(instant: number, tz: string): DateTime<true> {
  const dt = DateTime.fromMillis(instant, { zone: zoneOf(tz) });
  if (!dt.isValid) throw new RangeError(`invalid instant ${instant}`);
  return dt;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function parseDate(date: string): CalendarDate {
  const match = DATE_PATTERN.exec(date);
  const parsed = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  if (!parsed || !DateTime.fromObject(parsed, { zone: 'utc' }).isValid) {
    throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  }
  return parsed;
}

/** A calendar date as a UTC DateTime: calendar arithmetic without any zone in play. */
function calendarDay(date: string, plusDays = 0): DateTime<true> {
  const { year, month, day } = parseDate(date);
  // UTC days are all 24 hours, so whole-day steps in milliseconds are exact; luxon's
  // plus() would do the same far more slowly.
  const dt = DateTime.fromMillis(Date.UTC(year, month - 1, day) + plusDays * DAY_MS, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`date out of range: ${date} + ${plusDays} days`);
  return dt;
}

/** The local date (YYYY-MM-DD) of an instant in the clinic's zone. */
export function localDate(instant: number, tz: string): string {
  return inZone(instant, tz).toISODate();
}

/** Minutes after local midnight of an instant on the clinic's wall clock (seconds dropped). */
export function localMinutes(instant: number, tz: string): number {
  const dt = inZone(instant, tz);
  return dt.hour * 60 + dt.minute;
}

/** ISO weekday (1 = Monday) of a local date (the zone cannot change it), or of an instant on the clinic's wall clock. */
export function isoWeekday(date: string | number, tz: string): IsoWeekday {
  if (typeof date === 'number') return inZone(date, tz).weekday as IsoWeekday;
  return calendarDay(date).weekday as IsoWeekday;
}

/** The local date `days` calendar days after `date` (negative goes back). */
export function addLocalDays(date: string, days: number): string {
  return calendarDay(date, Math.trunc(days)).toISODate();
}

/**
 * The same wall-clock time `days` calendar days later (so 23 or 25 hours across a DST
 * change), read with atLocalTime's rules if that time is skipped or repeated.
 */
export function plusLocalDays(instant: number, days: number, tz: string): number {
  const dt = inZone(instant, tz);
  const withinMinute = dt.second * 1000 + dt.millisecond;
  return atLocalTime(addLocalDays(dt.toISODate(), days), dt.hour * 60 + dt.minute, tz) + withinMinute;
}

/**
 * The instant the clinic's clock shows `minutes` (whole) after midnight on `date`.
 * Minutes past 1440 run into the following days (1440 is the next midnight), so a
 * range ending at midnight converts cleanly.
 */
export function atLocalTime(date: string, minutes: number, tz: string): number {
  const whole = Math.floor(minutes);
  const extraDays = Math.floor(whole / 1440);
  const day = localDay(extraDays === 0 ? date : addLocalDays(date, extraDays), tz);
  return instantOnDay(day, whole - extraDays * 1440);
}

interface WallClockTime {
  instant: number;
  /** The clocks never show this time on this date (a spring-forward gap). */
  skipped: boolean;
}

/** atLocalTime straight through luxon, for days with an offset change and for day starts. */
function resolveOnDate(date: string, minutes: number, tz: string): WallClockTime {
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const local = DateTime.fromObject({ ...parseDate(date), hour, minute }, { zone: zoneOf(tz) });
  if (!local.isValid) throw new RangeError(`cannot place ${date} ${minutes} min in "${tz}"`);
  // getPossibleOffsets lists both passes through a repeated time; luxon's own pick is the later.
  let earliest = local.toMillis();
  for (const candidate of local.getPossibleOffsets()) earliest = Math.min(earliest, candidate.toMillis());
  // Luxon moves a skipped time forward, so its wall clock no longer reads what was asked.
  return { instant: earliest, skipped: local.hour !== hour || local.minute !== minute };
}

/** First instant of a local date (midnight, or the end of the gap when midnight is skipped). */
export function startOfLocalDay(date: string, tz: string): number {
  return localDay(date, tz).start;
}

/** Local dates with at least one instant in [fromInstant, toInstant), in order. */
export function dateRange(fromInstant: number, toInstant: number, tz: string): string[] {
  if (!(toInstant > fromInstant)) return [];
  const dates: string[] = [];
  const last = localDate(toInstant - 1, tz);
  for (let date = localDate(fromInstant, tz); date <= last; date = localDay(date, tz).nextDate) dates.push(date);
  return dates;
}

/**
 * A date and optional time as a model's tool call passes it ("2026-03-10",
 * "2026-03-10T14:00", "2026-03-10 14:00", seconds allowed), read on the clinic's wall
 * clock; a bare date means its start. Null for anything else, including text carrying
 * an offset or "Z": models append those to local times by habit, and honouring them
 * would book a different hour than the caller asked for.
 */
export function parseLocalDateTime(text: string, tz: string): number | null {
  if (typeof text !== 'string' || typeof tz !== 'string' || !IANAZone.create(tz).isValid) return null;
  const match = DATE_TIME_PATTERN.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  // Luxon would roll 24:00 or 14:60 over into the next hour or day; a model writing
  // those has made a mistake worth surfacing.
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  if (!DateTime.fromISO(date, { zone: 'utc' }).isValid) return null;
  return atLocalTime(date, hour * 60 + minute, tz) + second * 1000;
}

/** One local date, with what availability needs to place wall-clock times on it cheaply. */
export interface LocalDay {
  readonly tz: string;
  readonly date: string;
  readonly nextDate: string;
  readonly weekday: IsoWeekday;
  /** First instant of the day, and of the next day. */
  readonly start: number;
  readonly end: number;
  /** Exactly 24 hours long: the offset does not change during the day. */
  readonly regular: boolean;
}

// Luxon needs tens of microseconds per wall-clock conversion (it asks Intl for offsets),
// and a slot search touches the same few days over and over. Day facts never change,
// so remember them; cleared wholesale when full (years of days for a few zones fit).
const MAX_CACHED_DAYS = 8192;
const dayStarts = new Map<string, number>();
const days = new Map<string, LocalDay>();

function cachedDayStart(date: string, tz: string): number {
  const key = `${tz}|${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    start = resolveOnDate(date, 0, tz).instant;
    if (dayStarts.size >= MAX_CACHED_DAYS) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return start;
}

export function localDay(date: string, tz: string): LocalDay {
  const key = `${tz}|${date}`;
  const cached = days.get(key);
  if (cached) return cached;
  const nextDate = addLocalDays(date, 1);
  const start = cachedDayStart(date, tz);
  const end = cachedDayStart(nextDate, tz);
  const day: LocalDay = { tz, date, nextDate, weekday: isoWeekday(date, tz), start, end, regular: end - start === DAY_MS };
  if (days.size >= MAX_CACHED_DAYS) days.clear();
  days.set(key, day);
  return day;
}

// Days with an offset change are two a year per zone, but a search over one converts
// every grid time on it; remember those conversions with the day.
const changeDayTimes = new WeakMap<LocalDay, Map<number, WallClockTime>>();

function onChangeDay(day: LocalDay, minutes: number): WallClockTime {
  let times = changeDayTimes.get(day);
  if (!times) changeDayTimes.set(day, (times = new Map()));
  let time = times.get(minutes);
  if (!time) times.set(minutes, (time = resolveOnDate(day.date, minutes, day.tz)));
  return time;
}

/** atLocalTime for a day in hand (whole minutes 0–1440). */
export function instantOnDay(day: LocalDay, minutes: number): number {
  // A regular day is one luxon found to be exactly 24 hours long, so its offset is the
  // same all day and wall-clock minutes are elapsed minutes from its start.
  if (day.regular) return day.start + minutes * MINUTE_MS;
  if (minutes === 1440) return day.end;
  return onChangeDay(day, minutes).instant;
}

/** True when the clinic's clock never shows this time on this day (a spring-forward gap). */
export function isSkippedWallTime(day: LocalDay, minutes: number): boolean {
  return !day.regular && minutes < 1440 && onChangeDay(day, minutes).skipped;
}
