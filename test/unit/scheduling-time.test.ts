import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  atLocalTime,
  dateRange,
  instantOnDay,
  isoWeekday,
  isSkippedWallTime,
  isValidTimezone,
  localDate,
  localDay,
  localMinutes,
  parseLocalDateTime,
  plusLocalDays,
  startOfLocalDay,
} from '../../voice-engine/src/scheduling/clinic-time.js';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const utc = (iso: string): number => Date.parse(`${iso}Z`);

describe('clinic wall clock', () => {
  it('reads the local date in the clinic zone, not UTC', () => {
    // 04:30Z on the 17th is still the evening of the 16th in New York.
    expect(localDate(utc('2026-11-17T04:30'), NY)).toBe('2026-11-16');
    expect(localDate(utc('2026-11-17T05:00'), NY)).toBe('2026-11-17');
    expect(localDate(utc('2026-11-17T04:30'), 'Asia/Tokyo')).toBe('2026-11-17');
    expect(localMinutes(utc('2026-11-17T04:30'), NY)).toBe(23 * 60 + 30);
  });

  it('gives ISO weekdays for dates and for instants', () => {
    expect(isoWeekday('2026-11-16', NY)).toBe(1);
    expect(isoWeekday('2026-11-22', NY)).toBe(7);
    expect(isoWeekday(utc('2026-11-17T04:30'), NY)).toBe(1); // Monday evening locally
  });

  it('places wall-clock times on the clinic clock', () => {
    expect(atLocalTime('2026-11-17', 9 * 60, NY)).toBe(utc('2026-11-17T14:00')); // EST
    expect(atLocalTime('2026-07-14', 9 * 60, NY)).toBe(utc('2026-07-14T13:00')); // EDT
    expect(atLocalTime('2026-07-14', 9 * 60, LONDON)).toBe(utc('2026-07-14T08:00')); // BST
    expect(atLocalTime('2026-11-17', 1440, NY)).toBe(startOfLocalDay('2026-11-18', NY));
    expect(atLocalTime('2026-12-31', 1440 + 60, NY)).toBe(utc('2027-01-01T06:00'));
  });

  it('moves a skipped spring-forward time forward by the gap', () => {
    // 2:30 AM does not exist in New York on 2026-03-08; luxon reads it with EST: 3:30 AM EDT.
    expect(atLocalTime('2026-03-08', 150, NY)).toBe(utc('2026-03-08T07:30'));
    expect(atLocalTime('2026-03-29', 90, LONDON)).toBe(utc('2026-03-29T01:30'));
  });

  it('takes the first occurrence of a repeated fall-back time', () => {
    expect(atLocalTime('2026-11-01', 90, NY)).toBe(utc('2026-11-01T05:30')); // 1:30 EDT, not EST
    expect(atLocalTime('2026-10-25', 90, LONDON)).toBe(utc('2026-10-25T00:30')); // 1:30 BST, not GMT
    expect(atLocalTime('2026-04-04', 23 * 60 + 30, 'America/Santiago')).toBe(utc('2026-04-05T02:30'));
  });

  it('starts a day whose midnight is skipped at the end of the gap', () => {
    // Chile springs forward at midnight: 2026-09-06 begins at 1:00 AM.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(DateTime.fromMillis(start, { zone: 'America/Santiago' }).toISO()).toBe('2026-09-06T01:00:00.000-03:00');
  });

  it('knows which days are 23 or 25 hours long', () => {
    const spring = localDay('2026-03-08', NY);
    const fall = localDay('2026-11-01', NY);
    expect([spring.regular, (spring.end - spring.start) / 3_600_000]).toEqual([false, 23]);
    expect([fall.regular, (fall.end - fall.start) / 3_600_000]).toEqual([false, 25]);
    expect(localDay('2026-11-02', NY).regular).toBe(true);
    expect(localDay('2026-03-29', LONDON).regular).toBe(false);
  });

  it('places every wall-clock time as luxon does, on regular and DST days', () => {
    for (const [tz, dates] of [
      [NY, ['2026-03-07', '2026-03-08', '2026-06-15', '2026-11-01', '2026-11-02']],
      [LONDON, ['2026-03-29', '2026-10-25']],
      ['America/Santiago', ['2026-09-06', '2026-04-04']],
    ] as const) {
      for (const date of dates) {
        const day = localDay(date, tz);
        for (let minutes = 0; minutes < 1440; minutes += 5) {
          // Straight from luxon, first occurrence of a repeated time.
          const local = DateTime.fromISO(date, { zone: tz }).set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
          const expected = Math.min(...local.getPossibleOffsets().map((d) => d.toMillis()), local.toMillis());
          expect([date, minutes, instantOnDay(day, minutes)]).toEqual([date, minutes, expected]);
        }
        expect(instantOnDay(day, 1440)).toBe(startOfLocalDay(addLocalDays(date, 1), tz));
      }
    }
  });

  it('flags only the wall times the clocks skip', () => {
    const spring = localDay('2026-03-08', NY);
    const skipped = [];
    for (let minutes = 0; minutes < 1440; minutes += 30) if (isSkippedWallTime(spring, minutes)) skipped.push(minutes);
    expect(skipped).toEqual([120, 150]);
    expect(isSkippedWallTime(localDay('2026-11-01', NY), 90)).toBe(false);
    expect(isSkippedWallTime(localDay('2026-11-02', NY), 150)).toBe(false);
  });

  it('adds calendar days across months, years and leap days', () => {
    expect(addLocalDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLocalDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addLocalDays('2026-03-07', 2)).toBe('2026-03-09');
    expect(() => addLocalDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('keeps the time of day when adding days across DST', () => {
    const before = utc('2026-03-07T15:00'); // 10:00 EST
    expect(plusLocalDays(before, 2, NY)).toBe(utc('2026-03-09T14:00')); // 10:00 EDT, 47 hours later
  });

  it('lists the local dates a half-open span touches', () => {
    const mondayMidnight = startOfLocalDay('2026-11-16', NY);
    const wednesdayMidnight = startOfLocalDay('2026-11-18', NY);
    expect(dateRange(mondayMidnight, wednesdayMidnight, NY)).toEqual(['2026-11-16', '2026-11-17']);
    expect(dateRange(mondayMidnight, wednesdayMidnight + 1, NY)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18']);
    expect(dateRange(mondayMidnight - 1, mondayMidnight + 1, NY)).toEqual(['2026-11-15', '2026-11-16']);
    expect(dateRange(utc('2026-02-27T12:00'), utc('2026-03-02T12:00'), NY)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(dateRange(mondayMidnight, mondayMidnight, NY)).toEqual([]);
    expect(dateRange(wednesdayMidnight, mondayMidnight, NY)).toEqual([]);
  });

  it('refuses an unknown timezone loudly instead of returning NaN', () => {
    expect(() => localDate(0, 'Mars/Olympus_Mons')).toThrow(/unknown timezone/);
    expect(() => atLocalTime('2026-11-17', 540, 'Nowhere')).toThrow(/unknown timezone/);
  });
});

describe('isValidTimezone', () => {
  it('accepts IANA zones and rejects the rest', () => {
    expect(isValidTimezone('America/New_York')).toBe(true);
    expect(isValidTimezone('Europe/London')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimezone('')).toBe(false);
    expect(isValidTimezone('   ')).toBe(false);
  });
});

describe('parseLocalDateTime', () => {
  it('reads what a tool call passes, on the clinic clock', () => {
    expect(parseLocalDateTime('2026-11-17T14:00', NY)).toBe(utc('2026-11-17T19:00'));
    expect(parseLocalDateTime('2026-11-17 14:00', NY)).toBe(utc('2026-11-17T19:00'));
    expect(parseLocalDateTime('2026-11-17T14:00:00', NY)).toBe(utc('2026-11-17T19:00'));
    expect(parseLocalDateTime('2026-11-17T9:30', NY)).toBe(utc('2026-11-17T14:30'));
    expect(parseLocalDateTime(' 2026-11-17 ', NY)).toBe(startOfLocalDay('2026-11-17', NY));
    expect(parseLocalDateTime('2026-07-14 09:00', LONDON)).toBe(utc('2026-07-14T08:00'));
  });

  it('returns null for garbage rather than guessing', () => {
    for (const text of [
      '',
      'tomorrow at 2',
      '2026-02-30',
      '2026-13-01',
      '2026-11-17T24:00',
      '2026-11-17T14:60',
      '2026-11-17T14',
      '17/11/2026 14:00',
      '2026-11-17T14:00Z',
      '2026-11-17T14:00+02:00',
    ]) {
      expect(parseLocalDateTime(text, NY), text).toBeNull();
    }
    expect(parseLocalDateTime('2026-11-17T14:00', 'Nowhere/Town')).toBeNull();
  });

  it('follows the DST rules of atLocalTime', () => {
    expect(parseLocalDateTime('2026-03-08T02:30', NY)).toBe(utc('2026-03-08T07:30'));
    expect(parseLocalDateTime('2026-11-01T01:30', NY)).toBe(utc('2026-11-01T05:30'));
  });

  it('round-trips every hour of the DST-change months through the local text', () => {
    const months = [
      [utc('2026-03-01T00:00'), utc('2026-04-01T00:00')],
      [utc('2026-10-01T00:00'), utc('2026-11-08T00:00')],
    ] as const;
    let repeatedHours = 0;
    for (const tz of [NY, LONDON]) {
      for (const [from, to] of months) {
        for (let instant = from; instant < to; instant += 3_600_000) {
          const text = DateTime.fromMillis(instant, { zone: tz }).toFormat("yyyy-MM-dd'T'HH:mm");
          const parsed = parseLocalDateTime(text, tz);
          // The second pass through a repeated hour reads back as its first occurrence.
          if (parsed !== instant) {
            expect([text, parsed]).toEqual([text, instant - 3_600_000]);
            repeatedHours++;
          }
        }
      }
    }
    expect(repeatedHours).toBe(2); // one fall-back hour per zone
  });
});
