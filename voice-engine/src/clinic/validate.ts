import { isValidTimezone } from '../scheduling/clinic-time.js';
import type { IsoWeekday, SchedulingRules, TimeRange, WeeklyHours } from '../scheduling/types.js';

/** Bad input from a settings form: the message says which field and what is wrong. */
export class ValidationError extends Error {}

const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function fail(message: string): never {
  throw new ValidationError(message);
}

export function requireText(value: unknown, field: string, max = 500): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`${field} is required.`);
  if (value.length > max) fail(`${field} must be at most ${max} characters.`);
  return value.trim();
}

export function optionalText(value: unknown, field: string, max = 2000): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(`${field} must be text.`);
  if (value.length > max) fail(`${field} must be at most ${max} characters.`);
  return value.trim();
}

export function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(`${field} must be a whole number from ${min} to ${max}.`);
  return value;
}

export function timezone(value: unknown): string {
  const tz = requireText(value, 'Time zone', 64);
  if (!isValidTimezone(tz)) fail(`Time zone "${tz}" is not a known time zone; use a name like America/New_York.`);
  return tz;
}

export function localDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    fail(`${field} must be a date like 2026-12-24.`);
  }
  return value;
}

export function weeklyHours(value: unknown, field: string): WeeklyHours {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${field} must list hours by weekday.`);
  const out: WeeklyHours = {};
  for (const [key, ranges] of Object.entries(value as Record<string, unknown>)) {
    const day = Number(key);
    if (!Number.isInteger(day) || day < 1 || day > 7) fail(`${field}: "${key}" is not a weekday (1 = Monday … 7 = Sunday).`);
    if (!Array.isArray(ranges)) fail(`${field} for ${DAY_NAMES[day]} must be a list of opening times.`);
    const checked: TimeRange[] = ranges.map((r: unknown) => {
      const range = r as Partial<TimeRange>;
      const start = wholeNumber(range?.startMin, `${field} for ${DAY_NAMES[day]}: opening time`, 0, 1440);
      const end = wholeNumber(range?.endMin, `${field} for ${DAY_NAMES[day]}: closing time`, 0, 1440);
      if (end <= start) fail(`${field} for ${DAY_NAMES[day]}: closing time must be after opening time.`);
      return { startMin: start, endMin: end };
    });
    checked.sort((a, b) => a.startMin - b.startMin);
    checked.forEach((r, i) => {
      if (i > 0 && r.startMin < checked[i - 1]!.endMin) fail(`${field} for ${DAY_NAMES[day]}: opening times overlap.`);
    });
    out[day as IsoWeekday] = checked;
  }
  return out;
}

export function schedulingRules(value: unknown): Omit<SchedulingRules, 'timezone'> {
  const v = (value ?? {}) as Partial<SchedulingRules>;
  return {
    minLeadMinutes: wholeNumber(v.minLeadMinutes, 'Minimum notice (minutes)', 0, 60 * 24 * 30),
    horizonDays: wholeNumber(v.horizonDays, 'Booking horizon (days)', 1, 730),
    slotStepMinutes: wholeNumber(v.slotStepMinutes, 'Slot step (minutes)', 5, 240),
  };
}

/** E.164: "+", a country code, 7 to 15 digits in all. */
export function isE164(text: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(text);
}

/** An optional number in international form ('' for none); spaces, dots, dashes and brackets are dropped. */
export function optionalE164(value: unknown, field: string): string {
  const text = optionalText(value, field, 30).replace(/[\s().-]/g, '');
  if (text && !isE164(text)) fail(`${field} must be in international form, such as +15551234567.`);
  return text;
}

export function isEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

export function onOff(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(`${field} must be on or off.`);
  return value;
}

export function phoneNumber(value: unknown, field: string): string {
  const text = optionalText(value, field, 40);
  if (text && text.replace(/\D/g, '').length < 7) fail(`${field} must be a phone number.`);
  return text;
}

/** The number callers are told to dial in an emergency: 911, 112, 999, 000… */
export function emergencyNumber(value: unknown): string {
  const text = requireText(value, 'Emergency number', 6);
  if (!/^\d{2,6}$/.test(text)) fail('Emergency number must be the short number callers dial, such as 911.');
  return text;
}

const URGENT_ACTIONS = ['transfer', 'message'] as const;

export function urgentSituations(value: unknown): Array<{ description: string; action: (typeof URGENT_ACTIONS)[number]; transferTo: string }> {
  if (!Array.isArray(value)) fail('Urgent situations must be a list.');
  if (value.length > 20) fail('List at most 20 urgent situations.');
  const seen = new Set<string>();
  return value.map((item: unknown, i) => {
    const s = (item ?? {}) as Record<string, unknown>;
    const description = requireText(s.description, `Urgent situation ${i + 1}`, 120);
    if (seen.has(description.toLowerCase())) fail(`Urgent situation "${description}" is listed twice.`);
    seen.add(description.toLowerCase());
    const action = s.action;
    if (!URGENT_ACTIONS.includes(action as (typeof URGENT_ACTIONS)[number])) fail(`Urgent situation "${description}": choose transfer now or take an urgent message.`);
    const transferTo = action === 'transfer' ? optionalE164(s.transferTo, `Urgent situation "${description}": the number`) : '';
    return { description, action: action as (typeof URGENT_ACTIONS)[number], transferTo };
  });
}
