import { describe, expect, it } from 'vitest';
import { clockTime, describeHours, describePrice, describeSlot, describeTime } from '../../voice-engine/src/scheduling/describe.js';
import type { TimeRange, WeeklyHours } from '../../voice-engine/src/scheduling/types.js';

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const NY = 'America/New_York';
const range = (startMin: number, endMin: number): TimeRange => ({ startMin, endMin });
const nineToFive = range(540, 1020);

describe('describeTime and describeSlot', () => {
  it('say the concrete weekday, date and time on the clinic clock', () => {
    expect(describeTime(utc('2025-11-25T19:00'), NY)).toBe('Tuesday 25 November at 2:00 PM');
    expect(describeTime(utc('2026-11-17T14:00'), NY)).toBe('Tuesday 17 November at 9:00 AM');
    expect(describeTime(utc('2026-07-01T16:05'), 'Europe/London')).toBe('Wednesday 1 July at 5:05 PM');
  });

  it('get noon, midnight and the local date near midnight right', () => {
    expect(describeTime(utc('2026-11-17T17:00'), NY)).toBe('Tuesday 17 November at 12:00 PM');
    expect(describeTime(utc('2026-11-18T05:00'), NY)).toBe('Wednesday 18 November at 12:00 AM');
    expect(describeTime(utc('2026-11-18T04:30'), NY)).toBe('Tuesday 17 November at 11:30 PM');
  });

  it('name the provider, and never switch to "today" or "tomorrow"', () => {
    const slot = { providerId: 1, start: utc('2025-11-25T19:00'), end: utc('2025-11-25T19:30'), blockEnd: utc('2025-11-25T19:40') };
    expect(describeSlot(slot, 'Priya', NY, utc('2025-11-25T14:00'))).toBe('Tuesday 25 November at 2:00 PM with Priya');
    expect(describeSlot(slot, 'Priya', NY, utc('2025-11-24T14:00'))).toBe('Tuesday 25 November at 2:00 PM with Priya');
  });
});

describe('describePrice', () => {
  const price = (priceCents: number | null, priceFrom = false) => describePrice({ priceCents, priceFrom });

  it('says whole dollars without cents, and cents when there are some', () => {
    expect(price(12000)).toBe('$120');
    expect(price(9550)).toBe('$95.50');
    expect(price(120000)).toBe('$1,200');
    expect(price(0)).toBe('$0');
  });

  it('marks starting prices and stays silent when there is no price', () => {
    expect(price(12000, true)).toBe('from $120');
    expect(price(null)).toBeNull();
    expect(price(null, true)).toBeNull();
  });
});

describe('describeHours', () => {
  it('groups consecutive days with the same hours', () => {
    const hours: WeeklyHours = { 1: [nineToFive], 2: [nineToFive], 3: [nineToFive], 4: [nineToFive], 5: [nineToFive], 6: [range(540, 780)] };
    expect(describeHours(hours)).toBe('Monday to Friday 9:00 AM–5:00 PM; Saturday 9:00 AM–1:00 PM; closed Sunday');
  });

  it('lists a lunch break as two ranges, in order', () => {
    const split = [range(780, 1020), range(540, 720)];
    expect(describeHours({ 1: split, 2: split })).toBe('Monday and Tuesday 9:00 AM–12:00 PM and 1:00 PM–5:00 PM; closed Wednesday to Sunday');
  });

  it('describes touching ranges as the one stretch they are bookable as', () => {
    expect(describeHours({ 1: [range(720, 1020), range(540, 720)] })).toBe('Monday 9:00 AM–5:00 PM; closed Tuesday to Sunday');
  });

  it('keeps a closed day in the middle of the week in its place', () => {
    const hours: WeeklyHours = { 1: [nineToFive], 2: [nineToFive], 3: [], 4: [nineToFive], 5: [nineToFive], 6: [nineToFive], 7: [nineToFive] };
    expect(describeHours(hours)).toBe('Monday and Tuesday 9:00 AM–5:00 PM; closed Wednesday; Thursday to Sunday 9:00 AM–5:00 PM');
  });

  it('shortens a week that is all the same', () => {
    const same = [range(480, 1230)];
    expect(describeHours({ 1: same, 2: same, 3: same, 4: same, 5: same, 6: same, 7: same })).toBe('every day 8:00 AM–8:30 PM');
    expect(describeHours({})).toBe('closed every day');
  });

  it('formats clock times the way they are said', () => {
    expect([0, 540, 725, 720, 1439, 1440].map(clockTime)).toEqual(['12:00 AM', '9:00 AM', '12:05 PM', '12:00 PM', '11:59 PM', '12:00 AM']);
  });
});
