import { beforeEach, describe, expect, it } from 'vitest';
import { callerIdProven } from '../../voice-engine/src/receptionist/caller-identity.js';
import type { Store } from '../../voice-engine/src/store/index.js';
import { toolClinic } from '../harness/tool-clinic.js';

const ROSA = '+13125550111';

describe('identity before records', () => {
  let store: Store;
  let tomorrow: string;
  let clinic: ReturnType<typeof toolClinic>;

  /** One call's tool run: from `from`, its caller ID proven or not. */
  const run = (name: string, args: Record<string, unknown>, from: string, proven: boolean) => clinic.run(name, args, { from, proven });

  beforeEach(async () => {
    clinic = toolClinic();
    ({ store, tomorrow } = clinic);
    await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' }, ROSA, true);
    expect(await run('book_appointment', { slot_id: `${clinic.ana.id}@${tomorrow}T10:00`, service: 'Cleaning', patient_name: 'Rosa Park', date_of_birth: '1980-02-04', phone_confirmed: true }, ROSA, true)).toMatchObject({ done: true });
    clinic.newCall();
  });

  it('only a fully attested STIR/SHAKEN verdict (or the clinic’s choice) makes caller ID proof', () => {
    expect(callerIdProven('TN-Validation-Passed-A', false)).toBe(true);
    for (const verdict of ['TN-Validation-Passed-B', 'TN-Validation-Passed-C', 'TN-Validation-Failed-A', 'No-TN-Validation', null]) expect(callerIdProven(verdict, false)).toBe(false);
    expect(callerIdProven(null, true)).toBe(true);
  });

  it('from the patient’s own number, unverified: asks for name and date of birth, says nothing about the appointment, allows no cancel', async () => {
    const reply = await run('find_appointments', {}, ROSA, false);
    expect(reply).toMatchObject({ done: false, verified: false, say: expect.stringMatching(/full name and date of birth/) });
    expect(JSON.stringify(reply)).not.toMatch(/Cleaning|10:00/);
    const [appointment] = store.appointments.between(0, Number.MAX_SAFE_INTEGER);
    expect(await run('cancel_appointment', { appointment_id: appointment!.id }, ROSA, false)).toMatchObject({ done: false });
    expect(store.appointments.get(appointment!.id)!.status).toBe('booked');
  });

  it('from the patient’s own number, verified: finds the appointment', async () => {
    const reply = await run('find_appointments', {}, ROSA, true);
    expect(reply).toMatchObject({ done: true, verified: true, appointments: [expect.objectContaining({ service: 'Cleaning' })] });
  });

  it('a name plus the patient’s phone number is not enough; name plus date of birth is', async () => {
    const withPhone = await run('find_appointments', { name: 'Rosa Park', phone: ROSA }, '+13125550999', false);
    expect(withPhone).toMatchObject({ verified: false });
    expect(withPhone.appointments).toBeUndefined();
    const withDob = await run('find_appointments', { name: 'rosa park', date_of_birth: '1980-02-04' }, '+13125550999', false);
    expect(withDob).toMatchObject({ verified: true, appointments: [expect.objectContaining({ service: 'Cleaning' })] });
  });

  it('after two wrong answers the caller is told the team will call back and a message is taken, with nothing said about any appointment', async () => {
    const first = await run('find_appointments', { name: 'Rosa Park', date_of_birth: '1980-04-02' }, '+13125550999', false);
    expect(first.say).toMatch(/repeat/);
    const second = await run('find_appointments', { name: 'Rosa Parks', date_of_birth: '1980-02-04' }, '+13125550999', false);
    expect(second).toMatchObject({ done: false, verified: false, say: expect.stringMatching(/team will call them back.*take_message/) });
    expect(JSON.stringify([first, second])).not.toMatch(/Cleaning|10:00|appointment_id/);
  });

  it('a stranger booking under a patient’s name and number cannot set the date of birth that later proves identity', async () => {
    store.db.prepare('UPDATE patients SET date_of_birth = NULL').run();
    await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '14:00' }, '+13125550999', false);
    const slot = (await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '14:00' }, '+13125550999', false)).slots[0].slot_id;
    await run('book_appointment', { slot_id: slot, service: 'Cleaning', patient_name: 'Rosa Park', phone: ROSA, date_of_birth: '1999-09-09' }, '+13125550999', false);
    expect(store.patients.withPhone(ROSA).map((p) => p.dateOfBirth)).toEqual([null]);
    expect(await run('find_appointments', { name: 'Rosa Park', date_of_birth: '1999-09-09' }, '+13125550999', false)).toMatchObject({ verified: false });
  });
});
