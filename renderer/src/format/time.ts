/**
 * Dates and times for the front desk. Instants are epoch ms; wall-clock values belong to
 * the clinic's time zone and are turned into instants only there, so a PC set to another
 * zone still shows the clinic's day.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone: tz });
    } catch {
      // An unknown zone (a typo in Settings) must not blank the screen: fall back to the PC's.
      f = new Intl.DateTimeFormat(undefined, options);
    }
    formatters.set(key, f);
  }
  return f;
}

/** "2:05 PM" */
export function formatTime(ms: number, tz?: string): string {
  return fmt(tz, { hour: 'numeric', minute: '2-digit' }).format(ms);
}

/** "2:05:09 PM" */
export function formatTimeSeconds(ms: number, tz?: string): string {
  return fmt(tz, { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(ms);
}

/** "Tue 25 Nov, 2:05 PM" */
export function formatDateTime(ms: number, tz?: string): string {
  return fmt(tz, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(ms);
}

/** "25 Nov 2025, 2:05 PM": for logs and tables that span years. */
export function formatFullDateTime(ms: number, tz?: string): string {
  return fmt(tz, { year: 'numeric', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(ms);
}

/** For tables: the year only when it is not this year. */
export function formatLogTime(ms: number, now: number, tz?: string): string {
  return zonedParts(ms, tz).year === zonedParts(now, tz).year ? formatDateTime(ms, tz) : formatFullDateTime(ms, tz);
}

/** Ticking call timer: "0:07", "3:07", "1:02:07". */
export function formatElapsed(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** "45 s", "3 min 7 s", "1 h 2 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  const rest = s % 60;
  return rest > 0 ? `${m} min ${rest} s` : `${m} min`;
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function formatAgo(ms: number, now: number, tz?: string): string {
  const diff = Math.round((now - ms) / 1000);
  if (diff < 45) return 'just now';
  if (diff < 3600) return `${Math.round(diff / 60)} min ago`;
  if (diff < 24 * 3600) return `${Math.round(diff / 3600)} h ago`;
  return formatDateTime(ms, tz);
}

/** 540 → "09:00" (the value an <input type="time"> takes). */
export function minutesToHHMM(min: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(min)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** 540 → "9:00 AM", 1020 → "5:00 PM". */
export function minutesToLabel(min: number): string {
  if (min === 1440) return 'midnight';
  const h = Math.floor(min / 60);
  const m = min % 60;
  const suffix = h < 12 ? 'AM' : 'PM';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}:${String(m).padStart(2, '0')} ${suffix}`;
}

/**
 * "9:00", "09:00", "17:30", "5:30 pm", "24:00" → minutes after midnight; null when it is not a time.
 */
export function parseTimeOfDay(text: string): number | null {
  const match = /^\s*(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$/i.exec(text);
  if (!match) return null;
  let h = Number(match[1]);
  const m = match[2] === undefined ? 0 : Number(match[2]);
  const suffix = match[3]?.toLowerCase().replace(/\./g, '');
  if (m > 59) return null;
  if (suffix) {
    if (h < 1 || h > 12) return null;
    if (suffix === 'pm' && h !== 12) h += 12;
    if (suffix === 'am' && h === 12) h = 0;
  }
  if (h > 24 || (h === 24 && m > 0)) return null;
  return h * 60 + m;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading of an instant in a zone. */
export function zonedParts(ms: number, tz?: string): ZonedParts {
  const parts = fmt(tz, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

/** The clinic-local date of an instant: "2025-11-25". */
export function localDateOf(ms: number, tz?: string): string {
  const p = zonedParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Minutes after local midnight of an instant, in the zone. */
export function localMinutesOf(ms: number, tz?: string): number {
  const p = zonedParts(ms, tz);
  return p.hour * 60 + p.minute;
}

function parseDate(date: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return { y, m, d };
}

export function isValidDate(date: string): boolean {
  return parseDate(date) !== null;
}

/**
 * The instant a clinic-local date and time happen, e.g. ("2025-11-25", 840, "Europe/London").
 * In a daylight-saving gap the time is moved forward, as a clock would be.
 */
export function zonedTimeToEpoch(date: string, minutes: number, tz?: string): number {
  const p = parseDate(date);
  if (!p) return Number.NaN;
  const wanted = Date.UTC(p.y, p.m - 1, p.d, 0, minutes);
  const reads = (ms: number) => {
    const z = zonedParts(ms, tz);
    return Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute);
  };
  // Try the offset at the wanted wall time, then the offset at that guess (a DST edge).
  const first = wanted - offsetAt(wanted, tz);
  if (reads(first) === wanted) return first;
  const second = wanted - offsetAt(first, tz);
  if (reads(second) === wanted) return second;
  // A time skipped by the clocks going forward: the later reading is what the clock shows.
  return Math.max(first, second);
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, tz?: string): number {
  const p = zonedParts(ms, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

/** "2025-11-25" plus n days. */
export function addDays(date: string, n: number): string {
  const p = parseDate(date);
  if (!p) return date;
  const d = new Date(Date.UTC(p.y, p.m - 1, p.d + n));
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  const p = parseDate(date);
  if (!p) return 1;
  const js = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
  return (js === 0 ? 7 : js) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** The Monday on or before a date. */
export function startOfWeek(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** "Tue 25 Nov" for a plain date, with no zone arithmetic. */
export function formatPlainDate(date: string, long = false): string {
  const p = parseDate(date);
  if (!p) return date;
  const opts: Intl.DateTimeFormatOptions = long ? { weekday: 'long', day: 'numeric', month: 'long' } : { weekday: 'short', day: 'numeric', month: 'short' };
  return fmt('UTC', opts).format(Date.UTC(p.y, p.m - 1, p.d));
}

export const WEEKDAYS: ReadonlyArray<{ iso: 1 | 2 | 3 | 4 | 5 | 6 | 7; short: string; long: string }> = [
  { iso: 1, short: 'Mon', long: 'Monday' },
  { iso: 2, short: 'Tue', long: 'Tuesday' },
  { iso: 3, short: 'Wed', long: 'Wednesday' },
  { iso: 4, short: 'Thu', long: 'Thursday' },
  { iso: 5, short: 'Fri', long: 'Friday' },
  { iso: 6, short: 'Sat', long: 'Saturday' },
  { iso: 7, short: 'Sun', long: 'Sunday' },
];

/** Every IANA zone the browser knows, for the time-zone picker. */
export function knownTimezones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return tz.trim() !== '';
  } catch {
    return false;
  }
}
