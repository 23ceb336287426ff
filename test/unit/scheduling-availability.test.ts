import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { findSlots } from '../../voice-engine/src/scheduling/availability.js';
import type { AvailabilityQuery, BusyInterval, Provider, Service, Slot, TimeRange, WeeklyHours } from '../../voice-engine/src/scheduling/types.js';

const NY = 'America/New_York';

/** A wall-clock time in New York, "2026-11-16 09:00". */
const ny = (text: string): number => DateTime.fromISO(text.replace(' ', 'T'), { zone: NY }).toMillis();
const range = (from: string, to: string): TimeRange => {
  const minutes = (t: string) => Number(t.split(':')[0]) * 60 + Number(t.split(':')[1]);
  return { startMin: minutes(from), endMin: minutes(to) };
};
const weekdays = (...ranges: TimeRange[]): WeeklyHours => ({ 1: ranges, 2: ranges, 3: ranges, 4: ranges, 5: ranges });
const provider = (id: number, hours: WeeklyHours = weekdays(range('8:00', '18:00'))): Provider => ({ id, name: `P${id}`, hours, calendarId: null });
const service = (durationMin = 30, bufferAfterMin = 0): Service => ({
  id: 1,
  name: 'Checkup',
  durationMin,
  bufferAfterMin,
  priceCents: null,
  priceFrom: false,
  providerIds: [1, 2],
});
const busy = (from: string, to: string): BusyInterval => ({ start: ny(from), end: ny(to) });

/** Monday 2026-11-16 is the first bookable day; now is the Sunday before, at noon. */
function query(overrides: Partial<AvailabilityQuery> = {}): AvailabilityQuery {
  const now = ny('2026-11-15 12:00');
  return {
    service: service(),
    providers: [provider(1)],
    clinicHours: { ...weekdays(range('9:00', '17:00')), 6: [range('9:00', '13:00')] },
    closures: [],
    busy: new Map(),
    rules: { timezone: NY, minLeadMinutes: 0, horizonDays: 60, slotStepMinutes: 30 },
    now,
    from: now,
    to: ny('2026-11-17 00:00'),
    limit: 1000,
    ...overrides,
  };
}

/** Slots as the clinic reads them: "Mon 09:00 #1". */
const read = (slots: Slot[]): string[] =>
  slots.map((s) => `${DateTime.fromMillis(s.start, { zone: NY }).toFormat('ccc HH:mm')} #${s.providerId}`);
const times = (slots: Slot[]): string[] => slots.map((s) => DateTime.fromMillis(s.start, { zone: NY }).toFormat('HH:mm'));
/** Every half hour in [from, to): halfHours('9:00', '10:00') is ['09:00', '09:30']. */
const halfHours = (from: string, to: string): string[] => {
  const out: string[] = [];
  const { startMin, endMin } = range(from, to);
  for (let m = startMin; m < endMin; m += 30) out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return out;
};

describe('findSlots: hours', () => {
  it('offers the grid inside clinic ∩ provider hours, earliest first', () => {
    const slots = findSlots(query({ providers: [provider(1, weekdays(range('10:00', '16:00')))] }));
    expect(times(slots)).toEqual(halfHours('10:00', '16:00'));
    expect(slots[0]).toEqual({ providerId: 1, start: ny('2026-11-16 10:00'), end: ny('2026-11-16 10:30'), blockEnd: ny('2026-11-16 10:30') });
  });

  it('keeps to clinic hours when the provider works longer', () => {
    const slots = findSlots(query({ providers: [provider(1, weekdays(range('7:00', '19:00')))] }));
    expect(times(slots)[0]).toBe('09:00');
    expect(times(slots).at(-1)).toBe('16:30');
  });

  it('skips a lunch break given as two ranges, and visits that would run into it', () => {
    const clinicHours = weekdays(range('9:00', '12:00'), range('13:00', '17:00'));
    expect(times(findSlots(query({ clinicHours })))).toEqual([...halfHours('9:00', '12:00'), ...halfHours('13:00', '17:00')]);
    const hourLong = times(findSlots(query({ clinicHours, service: service(60) })));
    expect(hourLong).toContain('11:00');
    expect(hourLong).not.toContain('11:30');
    expect(hourLong).not.toContain('12:00');
    expect(hourLong[hourLong.indexOf('11:00') + 1]).toBe('13:00');
  });

  it('treats ranges that touch as one stretch', () => {
    const clinicHours = weekdays(range('13:00', '17:00'), range('9:00', '13:00'));
    expect(times(findSlots(query({ clinicHours, service: service(60) })))).toContain('12:30');
  });

  it('does not offer a 60-minute visit at 4:30 when closing is 5:00', () => {
    const slots = times(findSlots(query({ service: service(60) })));
    expect(slots.at(-1)).toBe('16:00');
  });

  it('lets the clean-up buffer run past closing', () => {
    const slots = findSlots(query({ service: service(30, 15) }));
    const last = slots.at(-1)!;
    expect(times([last])).toEqual(['16:30']);
    expect(last.blockEnd).toBe(ny('2026-11-16 17:15'));
  });

  it('aligns starts to the step after local midnight, not to the opening time', () => {
    const clinicHours = weekdays(range('9:10', '11:00'));
    const slots = findSlots(query({ clinicHours, rules: { ...query().rules, slotStepMinutes: 20 } }));
    expect(times(slots)).toEqual(['09:20', '09:40', '10:00', '10:20']);
  });

  it('offers nothing on days the clinic or the provider does not open', () => {
    const q = query({ from: ny('2026-11-20 00:00'), to: ny('2026-11-24 00:00') });
    const days = new Set(read(findSlots(q)).map((s) => s.slice(0, 3)));
    // Saturday is open at the clinic but the provider works weekdays only.
    expect([...days]).toEqual(['Fri', 'Mon']);
    const weekendWorker = provider(1, { 6: [range('8:00', '18:00')], 7: [range('8:00', '18:00')] });
    expect(read(findSlots(query({ ...q, providers: [weekendWorker] })))).toEqual(
      halfHours('9:00', '13:00').map((t) => `Sat ${t} #1`),
    );
  });
});

describe('findSlots: closures', () => {
  const week = { from: ny('2026-11-16 00:00'), to: ny('2026-11-21 00:00') };
  const daysOffered = (closures: AvailabilityQuery['closures']) =>
    [...new Set(read(findSlots(query({ ...week, closures }))).map((s) => s.slice(0, 3)))];

  it('removes a whole closed day', () => {
    expect(daysOffered([{ startDate: '2026-11-18', endDate: '2026-11-18', reason: 'Staff training' }])).toEqual(['Mon', 'Tue', 'Thu', 'Fri']);
  });

  it('removes every day of a multi-day holiday, both ends included', () => {
    expect(daysOffered([{ startDate: '2026-11-17', endDate: '2026-11-19', reason: 'Thanksgiving week' }])).toEqual(['Mon', 'Fri']);
  });

  it('ignores closures that do not touch the window', () => {
    expect(daysOffered([{ startDate: '2026-12-24', endDate: '2026-12-26', reason: 'Christmas' }])).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
  });
});

describe('findSlots: existing appointments', () => {
  const step15 = { ...query().rules, slotStepMinutes: 15 };
  const around = (busyTimes: BusyInterval[], svc = service()) =>
    times(findSlots(query({ busy: new Map([[1, busyTimes]]), service: svc, rules: step15, to: ny('2026-11-16 12:00') })));

  it('blocks starts overlapping an appointment; a slot may end as it starts, or start as it ends', () => {
    const slots = around([busy('2026-11-16 10:00', '2026-11-16 10:45')]);
    expect(slots).toContain('09:30'); // ends exactly at 10:00
    for (const t of ['09:45', '10:00', '10:15', '10:30']) expect(slots).not.toContain(t);
    expect(slots).toContain('10:45'); // starts exactly at the end
  });

  it("keeps the new visit's clean-up time clear of the next appointment", () => {
    const slots = around([busy('2026-11-16 10:00', '2026-11-16 10:30')], service(30, 15));
    expect(slots).toContain('09:15'); // free again at 10:00
    expect(slots).not.toContain('09:30'); // clean-up would run to 10:15
    expect(slots).toContain('10:30');
  });

  it('handles unsorted and overlapping busy intervals', () => {
    const sorted = [busy('2026-11-16 09:00', '2026-11-16 11:00'), busy('2026-11-16 09:30', '2026-11-16 10:00'), busy('2026-11-16 11:15', '2026-11-16 11:30')];
    const shuffled = [sorted[2]!, sorted[1]!, sorted[0]!];
    expect(around(shuffled)).toEqual(around(sorted));
    // 11:00 would run into 11:15; a start before noon may end after it.
    expect(around(sorted)).toEqual(['11:30', '11:45']);
  });

  it('ignores other providers\' appointments', () => {
    const slots = findSlots(query({ providers: [provider(1), provider(2)], busy: new Map([[2, [busy('2026-11-16 09:00', '2026-11-16 17:00')]]]) }));
    expect(new Set(slots.map((s) => s.providerId))).toEqual(new Set([1]));
  });
});

describe('findSlots: lead time, horizon, window and limit', () => {
  it('respects the minimum lead time, rounding up to the grid', () => {
    const now = ny('2026-11-16 10:07');
    const slots = findSlots(query({ now, from: now, rules: { ...query().rules, minLeadMinutes: 60 } }));
    expect(times(slots)[0]).toBe('11:30');
  });

  it('never offers the past, even when asked about it', () => {
    const now = ny('2026-11-16 14:00');
    expect(times(findSlots(query({ now, from: ny('2026-11-16 00:00') })))[0]).toBe('14:00');
  });

  it('stops at the booking horizon', () => {
    const now = ny('2026-11-16 12:00');
    const slots = findSlots(query({ now, from: now, to: ny('2026-11-30 00:00'), rules: { ...query().rules, horizonDays: 2 } }));
    expect(read(slots).at(-1)).toBe('Wed 11:30 #1');
  });

  it('answers only the window asked about, end exclusive', () => {
    const slots = findSlots(query({ from: ny('2026-11-16 10:15'), to: ny('2026-11-16 12:00') }));
    expect(times(slots)).toEqual(['10:30', '11:00', '11:30']);
    expect(findSlots(query({ from: ny('2026-11-16 12:00'), to: ny('2026-11-16 12:00') }))).toEqual([]);
  });

  it('returns at most limit slots, the earliest ones', () => {
    const all = findSlots(query({ providers: [provider(1), provider(2)] }));
    expect(findSlots(query({ providers: [provider(1), provider(2)], limit: 3 }))).toEqual(all.slice(0, 3));
    expect(findSlots(query({ limit: 0 }))).toEqual([]);
  });
});

describe('findSlots: providers', () => {
  it('considers only the providers passed (the caller\'s preference)', () => {
    const slots = findSlots(query({ providers: [provider(2)] }));
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.providerId === 2)).toBe(true);
    expect(findSlots(query({ providers: [] }))).toEqual([]);
  });

  it('offers a provider listed twice only once per time', () => {
    expect(findSlots(query({ providers: [provider(1), provider(1)], limit: 2 }))).toEqual(findSlots(query({ limit: 2 })));
  });

  it('offers every free provider at the same time, ordered by provider id', () => {
    const late = provider(3, weekdays(range('13:00', '17:00')));
    const slots = findSlots(query({ providers: [late, provider(2), provider(1)], limit: 4 }));
    expect(read(slots)).toEqual(['Mon 09:00 #1', 'Mon 09:00 #2', 'Mon 09:30 #1', 'Mon 09:30 #2']);
    const afternoon = findSlots(query({ providers: [late, provider(2), provider(1)], from: ny('2026-11-16 13:00'), limit: 3 }));
    expect(read(afternoon)).toEqual(['Mon 13:00 #1', 'Mon 13:00 #2', 'Mon 13:00 #3']);
  });

  it('fills a time with whoever is free when one provider is booked', () => {
    const q = query({ providers: [provider(1), provider(2)], busy: new Map([[1, [busy('2026-11-16 09:00', '2026-11-16 10:00')]]]), limit: 5 });
    expect(read(findSlots(q))).toEqual(['Mon 09:00 #2', 'Mon 09:30 #2', 'Mon 10:00 #1', 'Mon 10:00 #2', 'Mon 10:30 #1']);
  });

  it('refuses settings that cannot produce a schedule', () => {
    expect(() => findSlots(query({ rules: { ...query().rules, slotStepMinutes: 0 } }))).toThrow(RangeError);
    expect(() => findSlots(query({ service: service(0) }))).toThrow(RangeError);
    expect(() => findSlots(query({ rules: { ...query().rules, timezone: 'Nowhere/Town' } }))).toThrow(/unknown timezone/);
  });
});
