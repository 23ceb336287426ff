import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../voice-engine/src/config.js';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import { CLINIC_TZ, seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';
import { startEngineProcess } from '../harness/engine-process.js';

const CLINIC_NUMBER = '+15550001234';

/**
 * The texts Deskline sends on its own, through the Twilio simulator: confirmations after a
 * change made from the dashboard, reminders from the durable queue (across restarts, never
 * twice, never at night), the patient's "C", and the missed-call text.
 */
describe('texts Deskline sends on its own', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Thank you for calling Glow Med Spa.' }], afterScript: 'quiet' } } });
    clinic = await seedClinic(rig);
    rig.setSetting('telephony.twilioNumber', CLINIC_NUMBER);
  });
  afterAll(async () => {
    await rig?.close();
  });

  const textsTo = (phone: string) => rig.twilio.messages.filter((m) => m.to === phone).map((m) => m.body);
  const jobs = (appointmentId: number) => rig.query<{ kind: string; state: string; due_at: number; detail: string | null }>('SELECT kind, state, due_at, detail FROM text_jobs WHERE appointment_id = ? ORDER BY id', appointmentId);
  const inDays = (days: number) => DateTime.now().setZone(CLINIC_TZ).plus({ days }).toISODate()!;
  async function book(phone: string, name: string, date: string, time: string): Promise<number> {
    const made = await rig.handler<{ id: number }>('appointments/create', { serviceId: clinic.botox, providerId: clinic.priya, start: clinic.at(date, time), patientName: name, patientPhone: phone });
    if (!made.ok) throw new Error(made.error.message);
    return made.value.id;
  }

  it('a booking, a move and a cancellation from the dashboard each text the patient; reminders follow the appointment', async () => {
    const phone = '+15035551001';
    expect((await rig.handler('clinic/update', { texting: { reminderHours: 24, secondReminderHours: 2 } })).ok).toBe(true);
    const date = inDays(3);
    const id = await book(phone, 'Lee Chan', date, '14:00');
    await eventually(() => textsTo(phone).length === 1, 5000, 'booking confirmation');
    const when = DateTime.fromMillis(clinic.at(date, '14:00'), { zone: CLINIC_TZ });
    expect(textsTo(phone)[0]).toBe(`Glow Med Spa: you are booked for Botox with Priya Shah on ${when.toFormat('cccc d LLLL')} at 2:00 PM. Reply here to change it.`);
    expect(jobs(id).filter((j) => j.kind === 'reminder').map((j) => [j.state, j.due_at])).toEqual([
      ['pending', clinic.at(date, '14:00') - 24 * 3_600_000],
      ['pending', clinic.at(date, '14:00') - 2 * 3_600_000],
    ]);

    expect((await rig.handler('appointments/move', { id, start: clinic.at(date, '15:00') })).ok).toBe(true);
    await eventually(() => textsTo(phone).length === 2, 5000, 'move confirmation');
    expect(textsTo(phone)[1]).toBe(`Glow Med Spa: your Botox is now on ${when.toFormat('cccc d LLLL')} at 3:00 PM with Priya Shah.`);
    const afterMove = jobs(id).filter((j) => j.kind === 'reminder');
    expect(afterMove.filter((j) => j.state === 'skipped').every((j) => j.detail === 'the appointment moved')).toBe(true);
    expect(afterMove.filter((j) => j.state === 'pending').map((j) => j.due_at)).toEqual([clinic.at(date, '15:00') - 24 * 3_600_000, clinic.at(date, '15:00') - 2 * 3_600_000]);

    expect((await rig.handler('appointments/cancel', { id })).ok).toBe(true);
    await eventually(() => textsTo(phone).length === 3, 5000, 'cancellation text');
    expect(textsTo(phone)[2]).toMatch(/^Glow Med Spa: your Botox on .* at 3:00 PM is cancelled\./);
    expect(jobs(id).filter((j) => j.state === 'pending')).toEqual([]);
  }, 60_000);

  it('missed-call texts: one after a call the caller left before being helped, held until the sending hours', async () => {
    const local = DateTime.now().setZone(CLINIC_TZ);
    // A sending window that does not include now, then one that does.
    const closed = local.hour < 21 ? { sendFrom: `${String(local.hour + 2).padStart(2, '0')}:00`, sendUntil: `${String(local.hour + 2).padStart(2, '0')}:59` } : { sendFrom: '01:00', sendUntil: '02:00' };
    const opens = local.hour < 21 ? local.set({ hour: local.hour + 2, minute: 0, second: 0, millisecond: 0 }) : local.plus({ days: 1 }).set({ hour: 1, minute: 0, second: 0, millisecond: 0 });
    expect((await rig.handler('clinic/update', { texting: { missedCallTextBack: true, ...closed } })).ok).toBe(true);
    const night = '+15035551003';
    const first = await rig.twilio.placeCall({ from: night, to: CLINIC_NUMBER });
    await first.hangup();
    await eventually(() => rig.query('SELECT id FROM text_jobs WHERE kind = ? AND phone = ?', 'missed_call', night).length === 1, 5000, 'missed-call job');
    await eventually(() => rig.query<{ detail: string | null }>('SELECT detail FROM text_jobs WHERE phone = ?', night)[0]?.detail === 'outside sending hours', 5000, 'held for the sending hours');
    expect(rig.query<{ state: string; due_at: number }>('SELECT state, due_at FROM text_jobs WHERE phone = ?', night)).toEqual([{ state: 'pending', due_at: opens.toMillis() }]);
    expect(textsTo(night)).toEqual([]);

    expect((await rig.handler('clinic/update', { texting: { sendFrom: '00:00', sendUntil: '23:59' } })).ok).toBe(true);
    const day = '+15035551004';
    const second = await rig.twilio.placeCall({ from: day, to: CLINIC_NUMBER });
    await second.hangup();
    await eventually(() => textsTo(day).length === 1, 5000, 'missed-call text');
    expect(textsTo(day)[0]).toBe('Glow Med Spa: sorry we missed your call. Reply to this text to book or ask a question, or call us back any time.');
    // Twilio's status callback again (a retry) sends nothing more.
    await rig.twilio.postWebhook('/twilio/status', { ...second.callParams('completed'), CallDuration: '1' });
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(day)).toHaveLength(1);
    expect((await rig.handler('clinic/update', { texting: { missedCallTextBack: false } })).ok).toBe(true);
  }, 60_000);

  it('a reminder due while the PC was off goes out once at start, never again after another restart; "C" confirms the appointment', async () => {
    const phone = '+15035551002';
    expect((await rig.handler('clinic/update', { texting: { reminderHours: 24, secondReminderHours: 0, sendFrom: '00:00', sendUntil: '23:59' } })).ok).toBe(true);
    const date = inDays(4);
    const id = await book(phone, 'Ana Ruiz', date, '10:00');
    await eventually(() => textsTo(phone).length === 1, 5000, 'booking confirmation');

    // The PC is off, and the time for the reminder comes and goes meanwhile.
    await rig.engine.kill();
    const db = new Database(databasePath(rig.engine.dataDir));
    db.prepare("UPDATE text_jobs SET due_at = ? WHERE appointment_id = ? AND kind = 'reminder'").run(Date.now() - 60_000, id);
    db.close();
    let engine = await startEngineProcess(rig.engineEnv, { dataDir: rig.engine.dataDir });
    try {
      await eventually(() => textsTo(phone).length === 2, 10_000, 'the reminder after the restart');
      expect(textsTo(phone)[1]).toMatch(/^Glow Med Spa: reminder of your Botox with Priya Shah on .* at 10:00 AM\. Reply C to confirm or R to reschedule\.$/);
      await eventually(() => jobs(id).find((j) => j.kind === 'reminder')?.state === 'sent', 5000, 'the reminder recorded as sent');
      await engine.kill();
      engine = await startEngineProcess(rig.engineEnv, { dataDir: rig.engine.dataDir });
      await new Promise((r) => setTimeout(r, 1500));
      expect(textsTo(phone)).toHaveLength(2);

      // The patient replies C: confirmed on the appointment, and thanked.
      rig.twilio.engineUrl = engine.publicUrl;
      const reply = await rig.twilio.sendSms({ from: phone, to: CLINIC_NUMBER, body: 'C' });
      expect(reply.response.status).toBe(200);
      await eventually(() => textsTo(phone).length === 3, 5000, 'the thank-you');
      expect(textsTo(phone)[2]).toBe('Thank you, your appointment is confirmed. See you then!');
      expect(rig.query<{ confirmed_at: number | null }>('SELECT confirmed_at FROM appointments WHERE id = ?', id)[0]!.confirmed_at).toBeGreaterThan(0);

      // "R" starts a reschedule with the receptionist, told what the patient means.
      rig.realtime.responses.queue({ say: 'Of course. What day would suit you better?' });
      await rig.twilio.sendSms({ from: phone, to: CLINIC_NUMBER, body: 'R' });
      await eventually(() => textsTo(phone).length === 4, 5000, 'the reschedule reply');
      expect(textsTo(phone)[3]).toBe('Of course. What day would suit you better?');
      const asked = rig.realtime.responses.conversational.at(-1)!.body;
      expect(asked.input.at(-1)).toEqual({ role: 'developer', content: expect.stringMatching(/replied R to the reminder.*reschedule/) });
      expect(rig.realtime.responses.refusals).toEqual([]);
    } finally {
      await engine.kill();
    }
  }, 60_000);
});
