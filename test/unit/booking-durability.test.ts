import { DateTime } from 'luxon';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BookingService } from '../../voice-engine/src/booking/booking-service.js';
import { LocalCalendarBackend } from '../../voice-engine/src/calendar/backend.js';
import { KNOWLEDGE_KEYS, loadKnowledge } from '../../voice-engine/src/clinic/knowledge.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { WorkerStorageWriter } from '../../voice-engine/src/store/writer/storage-writer.js';

const TZ = 'America/Chicago';
const ALL_WEEK = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ startMin: 540, endMin: 1020 }]]));

describe('a booking is on disk before anyone is told', () => {
  it('book, move and cancel wait for the storage thread to sync what the event loop committed without syncing', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'deskline-durable-')), 'deskline.sqlite');
    const store = Store.open(dbPath, undefined, 'deferred');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: no fsync on the event loop
    const writer = new WorkerStorageWriter({ dbPath });
    const synced: number[] = [];
    const durable = async () => {
      await writer.sync();
      synced.push(store.appointments.busyFor([1], 0, Number.MAX_SAFE_INTEGER).get(1)?.length ?? 0);
    };
    store.settings.set(KNOWLEDGE_KEYS.timezone, TZ);
    store.settings.set(KNOWLEDGE_KEYS.hours, ALL_WEEK);
    const ana = store.clinic.saveProvider({ name: 'Ana Ruiz', hours: ALL_WEEK, calendarId: null });
    const cleaning = store.clinic.saveService({ name: 'Cleaning', durationMin: 60, bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [ana.id] });
    const bookings = new BookingService(store, () => new LocalCalendarBackend(), durable);
    const knowledge = loadKnowledge(store);
    const at = DateTime.now().setZone(TZ).plus({ days: 2 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toMillis();
    const booked = await bookings.book(knowledge, cleaning, { providerId: ana.id, start: at }, { name: 'Ned Flanders', phone: '+13125550100', dateOfBirth: null }, null, Date.now());
    expect(booked.ok).toBe(true);
    expect(synced).toEqual([1]);
    if (!booked.ok) return;
    await bookings.reschedule(knowledge, booked.appointment, { providerId: ana.id, start: at + 3_600_000 }, Date.now());
    await bookings.cancel(knowledge, store.appointments.get(booked.appointment.id)!);
    expect(synced).toHaveLength(3);
    // The sync barrier is a real synced write by the storage thread's connection.
    expect(store.settings.get<number>('storage.syncedAt')).toBeGreaterThan(0);
    await writer.close();
    store.close();
  });
});
