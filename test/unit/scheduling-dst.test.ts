import { describe, expect, it } from 'vitest';
import { checkSlot, findSlots } from '../../voice-engine/src/scheduling/availability.js';
import type { AvailabilityQuery, Slot, TimeRange, WeeklyHours } from '../../voice-engine/src/scheduling/types.js';

/**
 * Availability across daylight-saving changes. Expected instants are written out in UTC
 * so the tests do not lean on the conversion code they check:
 * New York springs forward on 2026-03-08 and falls back on 2026-11-01 (EST is UTC−5,
 * EDT UTC−4); London on 2026-03-29 and 2026-10-25 (GMT is UTC, BST UTC+1).
 */

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const iso = (instant: number): string => new Date(instant).toISOString().slice(0, 16);
const HOUR = 3_600_000;
const everyDay = (...ranges: TimeRange[]): WeeklyHours => ({ 1: ranges, 2: ranges, 3: ranges, 4: ranges, 5: ranges, 6: ranges, 7: ranges });
const nineToFive: TimeRange = { startMin: 540, endMin: 1020 };
const allDay: TimeRange = { startMin: 0, endMin: 1440 };

function query(timezone: string, from: number, to: number, overrides: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  return {
    service: { id: 1, name: 'Visit', durationMin: 30, bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [1] },
    providers: [{ id: 1, name: 'Priya', hours: everyDay(allDay), calendarId: null }],
    clinicHours: everyDay(nineToFive),
    closures: [],
    busy: new Map(),
    rules: { timezone, minLeadMinutes: 0, horizonDays: 365, slotStepMinutes: 30 },
    now: utc('2026-01-01T00:00'),
    from,
    to,
    limit: 10_000,
    ...overrides,
  };
}

/** For each local day, in order: its first slot (UTC) and how many slots it has. */
function openings(slots: Slot[], timezone: string): { first: string; count: number }[] {
  const byDay = new Map<string, Slot[]>();
  for (const s of slots) {
    const day = new Date(s.start).toLocaleDateString('en-CA', { timeZone: timezone });
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  return [...byDay.values()].map((day) => ({ first: iso(day[0]!.start), count: day.length }));
}

function expectStrictlyIncreasingAndUnique(slots: Slot[]): void {
  for (let i = 1; i < slots.length; i++) expect(slots[i]!.start).toBeGreaterThan(slots[i - 1]!.start);
}

describe('availability across DST: a 9:00 opening stays 9:00 local', () => {
  it('New York, spring forward 2026-03-08', () => {
    const tz = 'America/New_York';
    const slots = findSlots(query(tz, utc('2026-03-07T05:00'), utc('2026-03-10T04:00')));
    expect(openings(slots, tz)).toEqual([
      { first: '2026-03-07T14:00', count: 16 },
      { first: '2026-03-08T13:00', count: 16 },
      { first: '2026-03-09T13:00', count: 16 },
    ]);
    expect(slots.at(-1)!.start).toBe(utc('2026-03-09T20:30')); // 4:30 PM EDT
  });

  it('New York, fall back 2026-11-01', () => {
    const tz = 'America/New_York';
    const slots = findSlots(query(tz, utc('2026-10-31T04:00'), utc('2026-11-03T05:00')));
    expect(openings(slots, tz)).toEqual([
      { first: '2026-10-31T13:00', count: 16 },
      { first: '2026-11-01T14:00', count: 16 },
      { first: '2026-11-02T14:00', count: 16 },
    ]);
  });

  it('London, both 2026 changes', () => {
    const tz = 'Europe/London';
    expect(openings(findSlots(query(tz, utc('2026-03-28T00:00'), utc('2026-03-30T00:00'))), tz)).toEqual([
      { first: '2026-03-28T09:00', count: 16 },
      { first: '2026-03-29T08:00', count: 16 },
    ]);
    expect(openings(findSlots(query(tz, utc('2026-10-23T23:00'), utc('2026-10-26T00:00'))), tz)).toEqual([
      { first: '2026-10-24T08:00', count: 16 },
      { first: '2026-10-25T09:00', count: 16 },
    ]);
  });
});

describe('availability across DST: short and long days', () => {
  const tz = 'America/New_York';
  const roundTheClock = { clinicHours: everyDay(allDay) };

  it('a 23-hour day has 46 half-hour slots, evenly spaced, none in the skipped hour', () => {
    const slots = findSlots(query(tz, utc('2026-03-08T05:00'), utc('2026-03-09T04:00'), roundTheClock));
    expect(slots).toHaveLength(46);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.start - slots[i - 1]!.start).toBe(HOUR / 2);
    const localHours = slots.map((s) => new Date(s.start).toLocaleTimeString('en-GB', { timeZone: tz, hour: '2-digit' }));
    expect(localHours).toContain('01');
    expect(localHours).toContain('03');
    expect(localHours).not.toContain('02');
  });

  it('a 25-hour day offers each wall-clock time once, the repeated hour at its first pass', () => {
    const slots = findSlots(query(tz, utc('2026-11-01T04:00'), utc('2026-11-02T05:00'), roundTheClock));
    expect(slots).toHaveLength(48);
    expectStrictlyIncreasingAndUnique(slots);
    const around = slots.filter((s) => s.start >= utc('2026-11-01T04:30') && s.start <= utc('2026-11-01T07:30')).map((s) => iso(s.start));
    // 12:30 AM, 1:00 and 1:30 EDT, then 2:00 and 2:30 EST; the EST pass through 1:xx is not a grid time.
    expect(around).toEqual(['2026-11-01T04:30', '2026-11-01T05:00', '2026-11-01T05:30', '2026-11-01T07:00', '2026-11-01T07:30']);
  });

  it('a 1:30 AM opening on the spring-forward day offers sane slots', () => {
    const q = query(tz, utc('2026-03-08T05:00'), utc('2026-03-09T04:00'), { clinicHours: { 7: [{ startMin: 90, endMin: 300 }] } });
    // 1:30 EST, then 3:00, 3:30, 4:00, 4:30 EDT: 2.5 hours of real time.
    expect(findSlots(q).map((s) => iso(s.start))).toEqual(['2026-03-08T06:30', '2026-03-08T07:00', '2026-03-08T07:30', '2026-03-08T08:00', '2026-03-08T08:30']);
    const hourLong = { ...q, service: { ...q.service, durationMin: 60 } };
    expect(findSlots(hourLong).map((s) => iso(s.start))).toEqual(['2026-03-08T06:30', '2026-03-08T07:00', '2026-03-08T07:30', '2026-03-08T08:00']);
  });

  it('an opening inside the skipped hour starts when the clocks resume past it', () => {
    const q = query(tz, utc('2026-03-08T05:00'), utc('2026-03-09T04:00'), { clinicHours: { 7: [{ startMin: 150, endMin: 300 }] } });
    // 2:30 AM reads as 3:30 EDT.
    expect(findSlots(q).map((s) => iso(s.start))).toEqual(['2026-03-08T07:30', '2026-03-08T08:00', '2026-03-08T08:30']);
  });

  it('checkSlot refuses the second pass through the repeated hour as off the grid', () => {
    const q = query(tz, 0, 0, { clinicHours: { 7: [{ startMin: 60, endMin: 180 }] } });
    expect(checkSlot(q, { providerId: 1, start: utc('2026-11-01T05:00') })).toEqual({ ok: true }); // 1:00 EDT
    expect(checkSlot(q, { providerId: 1, start: utc('2026-11-01T06:00') })).toEqual({ ok: false, reason: 'misaligned' }); // 1:00 EST
    expect(checkSlot(q, { providerId: 1, start: utc('2026-11-01T07:00') })).toEqual({ ok: true }); // 2:00 EST
  });

  it('counts the horizon in calendar days, keeping the time of day across the change', () => {
    // Now is 10:00 EST on 2026-03-01; seven days later is 10:00 EDT, 167 hours on.
    const q = query(tz, utc('2026-03-01T15:00'), utc('2026-03-31T00:00'), {
      now: utc('2026-03-01T15:00'),
      rules: { timezone: tz, minLeadMinutes: 0, horizonDays: 7, slotStepMinutes: 30 },
    });
    expect(iso(findSlots(q).at(-1)!.start)).toBe('2026-03-08T13:30');
    expect(checkSlot(q, { providerId: 1, start: utc('2026-03-08T13:30') })).toEqual({ ok: true });
    expect(checkSlot(q, { providerId: 1, start: utc('2026-03-08T14:00') })).toEqual({ ok: false, reason: 'too_far' });
  });

  it('checkSlot and findSlots agree on every half hour around both changes', () => {
    for (const [from, to] of [
      [utc('2026-03-07T00:00'), utc('2026-03-10T00:00')],
      [utc('2026-10-31T00:00'), utc('2026-11-03T00:00')],
    ] as const) {
      const q = query(tz, from, to, { clinicHours: everyDay({ startMin: 30, endMin: 1410 }) });
      const offered = new Set(findSlots(q).map((s) => s.start));
      for (let t = from; t < to; t += HOUR / 2) {
        expect([iso(t), checkSlot(q, { providerId: 1, start: t }).ok]).toEqual([iso(t), offered.has(t)]);
      }
    }
  });
});
