import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BookingService } from '../../voice-engine/src/booking/booking-service.js';
import { LocalCalendarBackend } from '../../voice-engine/src/calendar/backend.js';
import { loadKnowledge, KNOWLEDGE_KEYS } from '../../voice-engine/src/clinic/knowledge.js';
import { atLocalTime, addLocalDays, isoWeekday, localDate } from '../../voice-engine/src/scheduling/clinic-time.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { NEAREST_DAYS, nearestTimes } from '../../voice-engine/src/receptionist/nearest-times.js';
import type { SchedulingBenchResult } from './scheduling-core.js';
import { summarize } from './stats.js';

/**
 * The booking path as a call exercises it, against a real SQLite file holding a year
 * of appointments for 20 providers: check_availability (store read plus slot search)
 * and the booking transaction (re-check and insert, synchronous=FULL). Prints nothing.
 */

export type BookingBenchResult = SchedulingBenchResult;

const TZ = 'America/New_York';
const PROVIDERS = 20;
const SAMPLES = 500;
const DAY_MS = 86_400_000;
const WEEKDAY_HOURS = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ startMin: 8 * 60, endMin: 18 * 60 }]]));

function summarizeMs(name: string, samples: number[]): BookingBenchResult {
  const s = summarize(samples);
  return { name, p50: s.p50 ?? NaN, p99: s.p99 ?? NaN, max: s.max ?? NaN };
}

function seed(store: Store, firstDay: string): { serviceId: number; appointments: number } {
  store.settings.set(KNOWLEDGE_KEYS.timezone, TZ);
  store.settings.set(KNOWLEDGE_KEYS.hours, WEEKDAY_HOURS);
  store.settings.set(KNOWLEDGE_KEYS.rules, { minLeadMinutes: 60, horizonDays: 400, slotStepMinutes: 15 });
  const providerIds: number[] = [];
  for (let i = 0; i < PROVIDERS; i++) providerIds.push(store.clinic.saveProvider({ name: `Provider ${i + 1}`, hours: WEEKDAY_HOURS, calendarId: null }).id);
  const service = store.clinic.saveService({ name: 'Consultation', durationMin: 30, bufferAfterMin: 10, priceCents: null, priceFrom: false, providerIds });
  const patient = store.patients.findOrCreate('Bench Patient', '+15550000000', null);
  let count = 0;
  store.db.transaction(() => {
    for (let day = 0; day < 365; day++) {
      const date = addLocalDays(firstDay, day);
      if (isoWeekday(date, TZ) > 5) continue;
      for (const providerId of providerIds) {
        // Eight 30-minute visits a day, every other hour slot, leaving real gaps to find.
        for (let visit = 0; visit < 8; visit++) {
          const start = atLocalTime(date, 8 * 60 + visit * 75, TZ);
          store.appointments.create({ patientId: patient.id, providerId, serviceId: service.id, start, end: start + 30 * 60_000, blockEnd: start + 40 * 60_000, bookedByCallId: null });
          count++;
        }
      }
    }
  })();
  return { serviceId: service.id, appointments: count };
}

export async function benchBooking(): Promise<{ appointments: number; results: BookingBenchResult[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'deskline-bench-booking-'));
  const store = Store.open(join(dir, 'deskline.sqlite'));
  try {
    const now = Date.now();
    const firstDay = localDate(now, TZ);
    const { serviceId, appointments } = seed(store, firstDay);
    const bookings = new BookingService(store, () => new LocalCalendarBackend());
    const knowledge = loadKnowledge(store);
    const service = knowledge.services.find((s) => s.id === serviceId)!;
    const availabilityMs: number[] = [];
    const nearestMs: number[] = [];
    const bookingMs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // A caller asking about a random week in the coming year, any provider.
      const from = now + Math.floor(((i * 7919) % 330) + 1) * DAY_MS;
      let t = performance.now();
      const slots = await bookings.availability(knowledge, { service, providers: knowledge.providers, from, to: from + 7 * DAY_MS, limit: 3 }, now);
      availabilityMs.push(performance.now() - t);
      // The same caller asking for 10:00 on that day, taken: the week around it, then the nearest times.
      const day = localDate(from, TZ);
      const wanted = atLocalTime(day, 10 * 60, TZ);
      const dayStart = atLocalTime(day, 0, TZ);
      t = performance.now();
      const around = await bookings.availability(knowledge, { service, providers: knowledge.providers, from: Math.max(now, dayStart - NEAREST_DAYS * DAY_MS), to: dayStart + (NEAREST_DAYS + 1) * DAY_MS, limit: 5000 }, now);
      nearestTimes(around, wanted, TZ, now);
      nearestMs.push(performance.now() - t);
      const slot = slots[0];
      if (!slot) continue;
      t = performance.now();
      const booked = await bookings.book(knowledge, service, slot, { name: `Caller ${i}`, phone: `+1555${String(1_000_000 + i)}`, dateOfBirth: null }, null, now);
      bookingMs.push(performance.now() - t);
      if (!booked.ok) throw new Error(`bench booking refused: ${booked.reason}`);
    }
    return {
      appointments,
      results: [
        summarizeMs('check_availability (7-day window, 20 providers)', availabilityMs),
        summarizeMs('check_availability, asked-for time taken (the week around it, nearest four)', nearestMs),
        summarizeMs('booking transaction (check + insert)', bookingMs),
      ],
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
