import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalCalendarBackend } from '../../voice-engine/src/calendar/backend.js';
import { ToolRegistry, type ToolContext } from '../../voice-engine/src/call/tools.js';
import { KNOWLEDGE_KEYS, loadKnowledge } from '../../voice-engine/src/clinic/knowledge.js';
import { EngineEvents } from '../../voice-engine/src/events.js';
import { appointmentTools } from '../../voice-engine/src/receptionist/appointment-tools.js';
import { BookingService } from '../../voice-engine/src/booking/booking-service.js';
import { buildInstructions } from '../../voice-engine/src/realtime/instructions.js';
import { registerAppointmentHandlers } from '../../voice-engine/src/api/appointment-handlers.js';
import { HandlerRegistry } from '../../voice-engine/src/api/registry.js';
import { openDatabase } from '../../voice-engine/src/store/db.js';
import { Store } from '../../voice-engine/src/store/index.js';

const TZ = 'America/Chicago';
const ALL_WEEK = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ startMin: 540, endMin: 1020 }]]));
const CALLER = '+13125550142';

describe('new-patient intake', () => {
  let store: Store;
  let tools: ToolRegistry;
  let slotId: string;
  let memory: Map<string, unknown>;

  const run = async (name: string, args: Record<string, unknown>) => {
    const ctx: ToolContext = {
      callId: 1, callSid: 'CA' + '2'.repeat(32), callerNumber: CALLER, callerIdProven: false, knowledge: loadKnowledge(store), now: Date.now(), memory,
      call: { hangUpAfterReply: () => undefined, transferAfterReply: () => undefined },
    };
    return (await tools.dispatch(name, JSON.stringify(args), ctx)).result as Record<string, any>;
  };
  const book = (extra: Record<string, unknown>) => run('book_appointment', { slot_id: slotId, service: 'Cleaning', patient_name: 'Omar Haddad', ...extra });

  beforeEach(async () => {
    store = new Store(openDatabase(':memory:'));
    store.settings.set(KNOWLEDGE_KEYS.timezone, TZ);
    store.settings.set(KNOWLEDGE_KEYS.hours, ALL_WEEK);
    const ana = store.clinic.saveProvider({ name: 'Ana Ruiz', hours: ALL_WEEK, calendarId: null });
    store.clinic.saveService({ name: 'Cleaning', durationMin: 60, bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [ana.id] });
    store.calls.createIfAbsent({ callSid: 'CA' + '2'.repeat(32), from: CALLER, to: '+1', status: 'in-progress', startedAt: Date.now() });
    tools = new ToolRegistry();
    for (const t of appointmentTools(store, new BookingService(store, () => new LocalCalendarBackend()), new EngineEvents())) tools.register(t);
    memory = new Map();
    const tomorrow = DateTime.now().setZone(TZ).plus({ days: 1 }).toISODate()!;
    slotId = (await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' })).slots[0].slot_id;
  });

  it('a new patient is not booked on a name alone: the result lists what to ask for, and nothing is written', async () => {
    const reply = await book({});
    expect(reply).toMatchObject({ done: false, reason: 'new_patient_details', missing: ['date of birth', 'confirmation of the number to call them back on'] });
    expect((await book({ date_of_birth: '2090-01-01', phone_confirmed: true })).missing).toEqual(['date of birth']);
    expect(store.appointments.between(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('asks for what Settings choose, stores it on the patient and the appointment, and never echoes it', async () => {
    store.settings.set(KNOWLEDGE_KEYS.intake, { email: true, insurance: true, reason: true });
    expect(buildInstructions(loadKnowledge(store), Date.now())).toMatch(/collect: full name, date of birth, a number to call them back on .*, email address, insurance carrier and member ID, the reason for the visit\. Never read back/);
    const partial = await book({ date_of_birth: '1984-06-30', phone_confirmed: true, email: 'not-an-email' });
    expect(partial.missing).toEqual(['email address', 'insurance carrier and member ID', 'reason for the visit']);
    const booked = await book({ date_of_birth: '1984-06-30', phone_confirmed: true, email: 'Omar@Example.com', insurance_carrier: 'Blue Shield', insurance_member_id: 'XJ 4471 0093', visit_reason: 'Tooth sensitivity' });
    expect(booked).toMatchObject({ done: true });
    expect(JSON.stringify(booked)).not.toMatch(/1984|omar@|XJ4471|sensitivity/i);
    const [appointment] = store.appointments.between(0, Number.MAX_SAFE_INTEGER);
    expect(appointment!.visitReason).toBe('Tooth sensitivity');
    expect(store.patients.get(appointment!.patientId)).toMatchObject({ name: 'Omar Haddad', phone: CALLER, dateOfBirth: '1984-06-30', email: 'omar@example.com', insuranceCarrier: 'Blue Shield', insuranceMemberId: 'XJ44710093' });
  });

  it('a returning patient (same name on the same number) books without the intake again', async () => {
    expect(await book({ date_of_birth: '1984-06-30', phone_confirmed: true })).toMatchObject({ done: true });
    const tomorrow = DateTime.now().setZone(TZ).plus({ days: 1 }).toISODate()!;
    slotId = (await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '14:00' })).slots[0].slot_id;
    expect(await book({})).toMatchObject({ done: true });
    expect(store.patients.withPhone(CALLER)).toHaveLength(1);
  });

  it('staff correct the details through the engine, each field checked, a bad one changing nothing', async () => {
    expect(await book({ date_of_birth: '1984-06-30', phone_confirmed: true })).toMatchObject({ done: true });
    const [appointment] = store.appointments.between(0, Number.MAX_SAFE_INTEGER);
    const registry = new HandlerRegistry();
    registerAppointmentHandlers(registry, store, new BookingService(store, () => new LocalCalendarBackend()));
    const bad = await registry.call('appointments/update-details', { id: appointment!.id, visitReason: 'Checkup', patient: { email: 'omar at example', insuranceCarrier: 'Aetna' } });
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'Email must look like name@example.com.' } });
    expect(store.patients.get(appointment!.patientId)!.insuranceCarrier).toBeNull();
    const good = await registry.call('appointments/update-details', { id: appointment!.id, visitReason: 'Checkup', patient: { email: 'omar@example.com', dateOfBirth: '1984-07-01' } });
    expect(good.ok && good.value).toMatchObject({ visitReason: 'Checkup', patientEmail: 'omar@example.com', patientDateOfBirth: '1984-07-01', patientName: 'Omar Haddad' });
  });
});
