import { describe, expect, it } from 'vitest';
import { isOpenAt } from '../../voice-engine/src/clinic/opening-hours.js';
import { atLocalTime } from '../../voice-engine/src/scheduling/clinic-time.js';

const TZ = 'America/New_York';
const WEEKDAYS = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ startMin: 540, endMin: 720 }, { startMin: 780, endMin: 1020 }]]));
const at = (date: string, hh: number, mm = 0) => atLocalTime(date, hh * 60 + mm, TZ);

describe('open or after hours', () => {
  it('follows the weekday’s opening times in the clinic’s zone, lunch included', () => {
    // 2026-03-02 is a Monday.
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-02', 8, 59))).toBe(false);
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-02', 9))).toBe(true);
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-02', 12, 30))).toBe(false);
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-02', 16, 59))).toBe(true);
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-02', 17))).toBe(false);
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-07', 10))).toBe(false); // Saturday
    // 16:00 in New York is 21:00 UTC: the clinic's clock decides.
    expect(isOpenAt(WEEKDAYS, [], TZ, at('2026-03-02', 16))).toBe(true);
    expect(isOpenAt(WEEKDAYS, [], 'UTC', at('2026-03-02', 16))).toBe(false);
  });

  it('counts a closure (a holiday) as after hours all day', () => {
    const closures = [{ startDate: '2026-12-24', endDate: '2026-12-26', reason: 'Holidays' }];
    expect(isOpenAt(WEEKDAYS, closures, TZ, at('2026-12-24', 10))).toBe(false);
    expect(isOpenAt(WEEKDAYS, closures, TZ, at('2026-12-23', 10))).toBe(true);
  });
});
