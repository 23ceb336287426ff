import { beforeEach, describe, expect, it } from 'vitest';
import { LocalCalendarBackend } from '../../voice-engine/src/calendar/backend.js';
import { KNOWLEDGE_KEYS, loadKnowledge } from '../../voice-engine/src/clinic/knowledge.js';
import { BookingService } from '../../voice-engine/src/booking/booking-service.js';
import { buildInstructions } from '../../voice-engine/src/realtime/instructions.js';
import { registerAppointmentHandlers } from '../../voice-engine/src/api/appointment-handlers.js';
import { HandlerRegistry } from '../../voice-engine/src/api/registry.js';
import type { Store } from '../../voice-engine/src/store/index.js';
import { toolClinic } from '../harness/tool-clinic.js';

const CALLER = '+13125550142';

describe('new-patient intake', () => {
  let store: Store;
  let slotId: string;
  let clinic: ReturnType<typeof toolClinic>;

  const run = (name: string, args: Record<string, unknown>) => clinic.run(name, args, { from: CALLER, proven: false });
  const book = (extra: Record<string, unknown>) => run('book_appointment', { slot_id: slotId, service: 'Cleaning', patient_name: 'Omar Haddad', ...extra });

  beforeEach(async () => {
    clinic = toolClinic();
    store = clinic.store;
    slotId = (await run('check_availability', { service: 'Cleaning', date: clinic.tomorrow, time: '10:00' })).slots[0].slot_id;
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
    slotId = (await run('check_availability', { service: 'Cleaning', date: clinic.tomorrow, time: '14:00' })).slots[0].slot_id;
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
