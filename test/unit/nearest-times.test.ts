import { describe, expect, it } from 'vitest';
import { atLocalTime } from '../../voice-engine/src/scheduling/clinic-time.js';
import type { Slot } from '../../voice-engine/src/scheduling/types.js';
import { nearestTimes } from '../../voice-engine/src/receptionist/nearest-times.js';

const TZ = 'America/Chicago';
const at = (date: string, hhmm: string) => atLocalTime(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), TZ);
const slot = (providerId: number, date: string, hhmm: string): Slot => ({ providerId, start: at(date, hhmm), end: at(date, hhmm) + 30 * 60_000, blockEnd: at(date, hhmm) + 30 * 60_000 });
const NOW = at('2026-03-02', '08:00');
const show = (slots: Slot[]) => slots.map((s) => `${s.providerId}@${new Date(s.start).toLocaleString('en-US', { timeZone: TZ, weekday: 'short', hour: 'numeric', minute: '2-digit' })}`);

describe('the nearest free times to the one asked for', () => {
  it('offers the nearest before and after that day, from any provider, then the nearest days at the nearest hour', () => {
    const free = [
      slot(1, '2026-03-04', '09:00'), slot(2, '2026-03-04', '13:30'), slot(1, '2026-03-04', '16:30'), slot(1, '2026-03-04', '17:00'),
      slot(2, '2026-03-05', '10:00'), slot(2, '2026-03-05', '15:30'),
      slot(1, '2026-03-03', '14:00'),
      slot(1, '2026-03-06', '15:00'),
    ];
    expect(show(nearestTimes(free, at('2026-03-04', '15:00'), TZ, NOW))).toEqual(['1@Tue 2:00 PM', '2@Wed 1:30 PM', '1@Wed 4:30 PM', '2@Thu 3:30 PM']);
  });

  it('with nothing free before the time that day, offers the two nearest after it; never a time already past', () => {
    const free = [slot(1, '2026-03-02', '07:00'), slot(1, '2026-03-02', '11:00'), slot(1, '2026-03-02', '11:30'), slot(1, '2026-03-02', '16:00')];
    expect(show(nearestTimes(free, at('2026-03-02', '10:00'), TZ, NOW))).toEqual(['1@Mon 11:00 AM', '1@Mon 11:30 AM']);
  });

  it('offers one slot per start time and at most four, whatever the diary holds', () => {
    const free = ['09:00', '09:30', '10:00', '10:30', '11:00'].flatMap((t) => [slot(1, '2026-03-09', t), slot(2, '2026-03-09', t)]);
    for (const d of ['2026-03-08', '2026-03-10', '2026-03-11', '2026-03-07']) free.push(slot(2, d, '10:00'));
    const picked = nearestTimes(free, at('2026-03-09', '10:15'), TZ, NOW);
    expect(picked).toHaveLength(4);
    expect(new Set(picked.map((s) => s.start)).size).toBe(4);
    expect(show(picked)).toEqual(['2@Sun 10:00 AM', '1@Mon 10:00 AM', '1@Mon 10:30 AM', '2@Tue 10:00 AM']);
  });
});
