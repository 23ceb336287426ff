import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkSlot, findSlots, type SlotCheckInput } from '../../voice-engine/src/scheduling/availability.js';
import type { AvailabilityQuery, Provider, TimeRange, WeeklyHours } from '../../voice-engine/src/scheduling/types.js';

const NY = 'America/New_York';
const ny = (text: string): number => DateTime.fromISO(text.replace(' ', 'T'), { zone: NY }).toMillis();
const range = (startH: number, endH: number): TimeRange => ({ startMin: startH * 60, endMin: endH * 60 });
const weekdays = (...ranges: TimeRange[]): WeeklyHours => ({ 1: ranges, 2: ranges, 3: ranges, 4: ranges, 5: ranges });
const provider = (id: number, hours: WeeklyHours): Provider => ({ id, name: `P${id}`, hours, calendarId: null });

/** Clinic open weekdays 9–5 with lunch 12–1; Priya (1) works 9–5, Sam (2) afternoons. Now: Sunday 2026-11-15 noon. */
function input(overrides: Partial<SlotCheckInput> = {}): SlotCheckInput {
  return {
    service: { id: 1, name: 'Consult', durationMin: 30, bufferAfterMin: 10, priceCents: 12000, priceFrom: false, providerIds: [1, 2] },
    providers: [provider(1, weekdays(range(9, 17))), provider(2, weekdays(range(13, 17)))],
    clinicHours: weekdays(range(9, 12), range(13, 17)),
    closures: [{ startDate: '2026-11-26', endDate: '2026-11-27', reason: 'Thanksgiving' }],
    busy: new Map([[1, [{ start: ny('2026-11-17 10:00'), end: ny('2026-11-17 10:40') }]]]),
    rules: { timezone: NY, minLeadMinutes: 120, horizonDays: 30, slotStepMinutes: 30 },
    now: ny('2026-11-15 12:00'),
    ...overrides,
  };
}
const check = (providerId: number, at: string, overrides: Partial<SlotCheckInput> = {}) =>
  checkSlot(input(overrides), { providerId, start: ny(at) });
const refused = (reason: string) => ({ ok: false, reason });

describe('checkSlot', () => {
  it('accepts a free, aligned slot inside hours', () => {
    expect(check(1, '2026-11-17 09:00')).toEqual({ ok: true });
    expect(check(2, '2026-11-17 13:00')).toEqual({ ok: true });
  });

  it('refuses slots sooner than the lead time, including the past', () => {
    const now = ny('2026-11-16 09:00');
    expect(check(1, '2026-11-16 10:30', { now })).toEqual(refused('too_soon'));
    expect(check(1, '2026-11-16 11:00', { now })).toEqual({ ok: true }); // exactly two hours ahead
    expect(check(1, '2026-11-13 10:00', { now })).toEqual(refused('too_soon'));
  });

  it('refuses slots beyond the horizon', () => {
    expect(check(1, '2026-12-15 11:30')).toEqual({ ok: true });
    expect(check(1, '2026-12-15 12:00')).toEqual(refused('too_far')); // 30 days after Sunday noon
    expect(check(1, '2026-12-16 09:00')).toEqual(refused('too_far'));
  });

  it('reports closure days and closed weekdays as closed', () => {
    expect(check(1, '2026-11-26 10:00')).toEqual(refused('closed'));
    expect(check(1, '2026-11-27 10:00')).toEqual(refused('closed'));
    expect(check(1, '2026-11-21 10:00')).toEqual(refused('closed')); // Saturday
  });

  it('refuses times outside clinic ∩ provider hours', () => {
    expect(check(1, '2026-11-17 08:30')).toEqual(refused('outside_hours'));
    expect(check(1, '2026-11-17 12:00')).toEqual(refused('outside_hours')); // lunch
    expect(check(1, '2026-11-17 16:45')).toEqual(refused('outside_hours')); // runs past closing
    expect(check(2, '2026-11-17 10:00')).toEqual(refused('outside_hours')); // Sam works afternoons
    expect(check(1, '2026-11-17 16:30')).toEqual({ ok: true }); // buffer may run past closing
  });

  it('treats a provider not offered for the service as outside hours', () => {
    expect(check(3, '2026-11-17 09:00')).toEqual(refused('outside_hours'));
  });

  it('refuses starts off the slot grid', () => {
    expect(check(1, '2026-11-17 09:10')).toEqual(refused('misaligned'));
    expect(checkSlot(input(), { providerId: 1, start: ny('2026-11-17 09:00') + 1000 })).toEqual(refused('misaligned'));
  });

  it('refuses slots that collide with busy time, counting the new clean-up buffer', () => {
    expect(check(1, '2026-11-17 10:30')).toEqual(refused('taken'));
    expect(check(1, '2026-11-17 09:30')).toEqual(refused('taken')); // 9:30 + 30 + 10 runs into 10:00
    expect(check(1, '2026-11-17 09:00')).toEqual({ ok: true });
    expect(check(1, '2026-11-17 11:00')).toEqual({ ok: true }); // busy ends 10:40
    expect(check(2, '2026-11-17 13:00')).toEqual({ ok: true }); // Priya's appointment is hers
  });

  it('agrees with findSlots on every grid time of a month', () => {
    const query: AvailabilityQuery = { ...input(), from: ny('2026-11-15 00:00'), to: ny('2026-12-20 00:00'), limit: 100_000 };
    const offered = new Set(findSlots(query).map((s) => `${s.providerId}@${s.start}`));
    expect(offered.size).toBeGreaterThan(400); // about 22 a day over 19 open days
    let checked = 0;
    for (let t = query.from; t < query.to; t += 30 * 60_000) {
      for (const providerId of [1, 2]) {
        const result = checkSlot(query, { providerId, start: t });
        expect([providerId, t, result.ok]).toEqual([providerId, t, offered.has(`${providerId}@${t}`)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });
});
