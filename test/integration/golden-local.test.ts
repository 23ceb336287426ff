import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, outcomeOf, scriptedCall, toolOutputs } from '../harness/conversation.js';
import type { Script } from '../sim/realtime/index.js';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';

const CALLER = '+15035550188';
const GREETING = [{ say: 'Thank you for calling Glow Med Spa. How can I help you today?' }];

interface AppointmentRow {
  id: number;
  provider_id: number;
  service_id: number;
  patient_id: number;
  start_at: number;
  end_at: number;
  block_end_at: number;
  status: string;
}

describe('golden-path calls with the embedded calendar', () => {
  let rig: Rig;
  let clinic: SeededClinic;

  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    clinic = await seedClinic(rig);
  });
  afterAll(async () => {
    await rig?.close();
  });

  const callWith = (script: Script, from = CALLER) => scriptedCall(rig, script, from);
  const outcome = (callId: number) => outcomeOf(rig, callId);

  it('1. books Botox tomorrow at 2 PM: one appointment with the service’s duration, outcome booked', async () => {
    const slotId = `${clinic.priya}@${clinic.tomorrow}T14:00`;
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [
        { user: 'I would like Botox tomorrow at 2 PM', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'Tomorrow at 2 PM with Priya is free. May I have your name?' }] },
        { user: 'Jane Doe', replies: [{ call: 'book_appointment', arguments: { slot_id: slotId, service: 'Botox', patient_name: 'Jane Doe', date_of_birth: '1990-05-17', phone_confirmed: true } }, { say: 'You are booked for tomorrow at 2 PM with Priya.' }] },
        { user: 'Thank you, bye', replies: [{ say: 'Goodbye!' }, { call: 'end_call', arguments: {} }] },
      ],
    });
    await converse(call, session, ['I would like Botox tomorrow at 2 PM', 'Jane Doe', 'Thank you, bye']);

    const [availability, booking] = toolOutputs(session);
    expect(availability).toMatchObject({ done: true, available: true, slots: [{ slot_id: slotId, when: expect.stringMatching(/at 2:00 PM with Priya Shah$/) }] });
    expect(booking).toMatchObject({ done: true });
    const appointments = rig.query<AppointmentRow>('SELECT * FROM appointments');
    expect(appointments).toHaveLength(1);
    const a = appointments[0]!;
    expect(a).toMatchObject({ provider_id: clinic.priya, service_id: clinic.botox, status: 'booked', start_at: clinic.at(clinic.tomorrow, '14:00') });
    expect(a.end_at - a.start_at).toBe(30 * 60_000);
    expect(a.block_end_at - a.end_at).toBe(10 * 60_000);
    expect(rig.query<{ name: string; phone: string }>('SELECT name, phone FROM patients')).toEqual([{ name: 'Jane Doe', phone: CALLER }]);
    const tools = rig.query<{ name: string; status: string }>('SELECT name, status FROM tool_calls WHERE call_id = ? ORDER BY id', callId);
    expect(tools.map((t) => t.name)).toEqual(['check_availability', 'book_appointment', 'end_call']);
    expect(tools.every((t) => t.status === 'ok')).toBe(true);
    // The receptionist hangs up through Twilio only after the goodbye has been heard.
    const hangUp = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.params.Status === 'completed', 5000);
    expect(hangUp.at).toBeGreaterThanOrEqual(call.marksReturned.at(-1)!.at);
    await eventually(() => outcome(callId) === 'booked', 5000, 'outcome booked');
    const transcript = rig.query<{ text: string }>('SELECT text FROM transcript_lines WHERE call_id = ? ORDER BY id', callId).map((l) => l.text);
    expect(transcript).toContain('I would like Botox tomorrow at 2 PM');
    expect(transcript).toContain('You are booked for tomorrow at 2 PM with Priya.');
  }, 60_000);

  it('3. no availability at the asked time: the alternatives are real free slots and nothing is booked', async () => {
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [
        { user: 'Can Priya do Botox tomorrow at 2 PM?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', provider: 'Priya', date: clinic.tomorrow, time: '14:00' } }, { say: 'That time is taken. I have other times.' }] },
        { user: 'None of those work, thanks', replies: [{ say: 'No problem, goodbye.' }] },
      ],
    }, '+15035550999');
    await converse(call, session, ['Can Priya do Botox tomorrow at 2 PM?', 'None of those work, thanks']);
    await call.hangup();

    const [availability] = toolOutputs(session);
    expect(availability).toMatchObject({ done: true, available: false });
    expect(availability!.slots.length).toBeGreaterThan(0);
    const booked = rig.query<AppointmentRow>("SELECT * FROM appointments WHERE status = 'booked'");
    for (const offer of availability!.slots as Array<{ slot_id: string; when: string }>) {
      const [providerId, local] = offer.slot_id.split('@');
      expect(Number(providerId)).toBe(clinic.priya);
      const [date, time] = local!.split('T');
      const start = clinic.at(date!, time!);
      const hour = Number(time!.slice(0, 2));
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(start + 30 * 60_000).toBeLessThanOrEqual(clinic.at(date!, '17:00'));
      const clash = booked.filter((a) => a.provider_id === clinic.priya && a.start_at < start + 40 * 60_000 && a.block_end_at > start);
      expect(clash, `offered ${offer.when} overlaps a booking`).toEqual([]);
      expect(offer.when).toMatch(/with Priya Shah$/);
    }
    expect(booked).toHaveLength(1);
    await eventually(() => outcome(callId) === 'info_only', 5000, 'outcome info_only');
  }, 60_000);

  it('4. provider preference: "I’d like to see Sam" books with Sam', async () => {
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [
        { user: 'I would like to see Sam for Botox tomorrow at 3 PM', replies: [{ call: 'check_availability', arguments: { service: 'botox', provider: 'Sam', date: clinic.tomorrow, time: '15:00' } }, { say: 'Sam is free then. Your name?' }] },
        { user: 'Maria Garcia', replies: [{ call: 'book_appointment', arguments: { slot_id: `${clinic.sam}@${clinic.tomorrow}T15:00`, service: 'Botox', patient_name: 'Maria Garcia', date_of_birth: '1977-11-02', phone_confirmed: true } }, { say: 'Booked with Sam.' }] },
      ],
    }, '+15035550777');
    await converse(call, session, ['I would like to see Sam for Botox tomorrow at 3 PM', 'Maria Garcia']);
    await call.hangup();
    const [availability] = toolOutputs(session);
    expect(availability!.slots).toEqual([{ slot_id: `${clinic.sam}@${clinic.tomorrow}T15:00`, when: expect.stringMatching(/at 3:00 PM with Sam Lee$/) }]);
    const row = rig.query<AppointmentRow>('SELECT * FROM appointments WHERE booked_by_call_id = ?', callId);
    expect(row).toHaveLength(1);
    expect(row[0]!.provider_id).toBe(clinic.sam);
    await eventually(() => outcome(callId) === 'booked', 5000, 'outcome booked');
  }, 60_000);

  it('two callers racing for the same slot: one gets it, the other is offered real alternatives', async () => {
    const slotId = `${clinic.priya}@${clinic.tomorrow}T11:00`;
    const script = (name: string) => ({
      greeting: GREETING,
      turns: [
        { user: 'Is eleven free with Priya?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', provider: 'Priya', date: clinic.tomorrow, time: '11:00' } }, { say: 'Yes, eleven is free.' }] },
        { user: 'Book me', replies: [{ call: 'book_appointment', arguments: { slot_id: slotId, service: 'Botox', patient_name: name, date_of_birth: '1988-08-08', phone_confirmed: true } }, { say: 'Done.' }] },
      ],
    });
    const a = await callWith(script('Racer One'), '+15035550101');
    const b = await callWith(script('Racer Two'), '+15035550102');
    // Both are offered eleven; then both say yes at once.
    await Promise.all([converse(a.call, a.session, ['Is eleven free with Priya?']), converse(b.call, b.session, ['Is eleven free with Priya?'])]);
    expect([toolOutputs(a.session)[0]!.available, toolOutputs(b.session)[0]!.available]).toEqual([true, true]);
    await Promise.all([converse(a.call, a.session, ['Book me at eleven']), converse(b.call, b.session, ['Book me at eleven'])]);
    const results = [toolOutputs(a.session)[1]!, toolOutputs(b.session)[1]!];
    expect(results.filter((r) => r.done === true)).toHaveLength(1);
    const loser = results.find((r) => r.done === false)!;
    expect(loser.reason).toBe('taken');
    expect(loser.slots.length).toBeGreaterThan(0);
    expect(loser.slots.map((s: { slot_id: string }) => s.slot_id)).not.toContain(slotId);
    const atEleven = rig.query<AppointmentRow>("SELECT * FROM appointments WHERE status = 'booked' AND provider_id = ? AND start_at = ?", clinic.priya, clinic.at(clinic.tomorrow, '11:00'));
    expect(atEleven).toHaveLength(1);
    await Promise.all([a.call.hangup(), b.call.hangup()]);
  }, 60_000);

  it('builds the instructions from the clinic settings, and an edit applies to the very next call', async () => {
    const first = await callWith({ greeting: GREETING }, '+15035550300');
    await first.session.waitFor((s) => s.updates.length > 0, 5000);
    const before = String(first.session.config.instructions);
    expect(before).toContain('Glow Med Spa');
    expect(before).toContain('Botox: 30 minutes, from $300');
    expect(before).toContain('Is there parking?');
    expect(before).toContain('Cancellation policy: Please give 24 hours notice.');
    await first.call.hangup();

    const hours = { 1: [{ startMin: 8 * 60, endMin: 12 * 60 }, { startMin: 13 * 60, endMin: 18 * 60 }] };
    expect(await rig.handler('clinic/update', { hours })).toMatchObject({ ok: true });
    expect(await rig.handler('services/save', { name: 'Lip filler', durationMin: 45, bufferAfterMin: 15, priceCents: 45000, priceFrom: false, providerIds: [clinic.priya] })).toMatchObject({ ok: true });
    const second = await callWith({ greeting: GREETING }, '+15035550301');
    await second.session.waitFor((s) => s.updates.length > 0, 5000);
    const after = String(second.session.config.instructions);
    expect(after).toContain('Lip filler: 45 minutes, $450');
    expect(after).toContain('Opening hours: Monday 8:00 AM–12:00 PM and 1:00 PM–6:00 PM; closed Tuesday to Sunday.');
    await second.call.hangup();
    // Restore the all-week hours the other tests rely on.
    await seedClinic(rig);
  }, 60_000);

  it('rejects an invalid settings change with a clear message and keeps what was there', async () => {
    const before = await rig.handler<any>('clinic/get');
    const bad = await rig.handler('clinic/update', { profile: { name: 'Renamed', timezone: 'Mars/Olympus' }, hours: { 1: [{ startMin: 600, endMin: 540 }] } });
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'Time zone "Mars/Olympus" is not a known time zone; use a name like America/New_York.' } });
    const closing = await rig.handler('clinic/update', { hours: { 1: [{ startMin: 600, endMin: 540 }] } });
    expect(closing).toMatchObject({ ok: false, error: { message: 'Opening hours for Monday: closing time must be after opening time.' } });
    const after = await rig.handler<any>('clinic/get');
    expect(after).toEqual(before);
  });

  it('takes a message for staff: stored against the call, flagged, outcome message_taken', async () => {
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [{ user: 'Please ask the nurse to call me about my results', replies: [{ call: 'take_message', arguments: { reason: 'Wants the nurse to call about results', caller_name: 'Tom Baker', urgency: 'normal' } }, { say: 'I will pass that on.' }] }],
    }, '+15035550400');
    await converse(call, session, ['Please ask the nurse to call me about my results']);
    // Staff see it at once: the live card is flagged and the Inbox is told, while the caller is still on.
    await eventually(() => rig.events.some((e) => e.event === 'call.updated' && e.payload.id === callId && e.payload.needsAction === true), 2000, 'flagged card');
    expect(rig.events.some((e) => e.event === 'inbox.changed')).toBe(true);
    await call.hangup();
    expect(toolOutputs(session)[0]).toMatchObject({ done: true });
    expect(rig.query('SELECT caller_name, callback_number, reason, urgency, resolved_at FROM messages WHERE call_id = ?', callId)).toEqual([
      { caller_name: 'Tom Baker', callback_number: '+15035550400', reason: 'Wants the nurse to call about results', urgency: 'normal', resolved_at: null },
    ]);
    await eventually(() => outcome(callId) === 'message_taken', 5000, 'outcome message_taken');
    expect(rig.query<{ needs_action: number }>('SELECT needs_action FROM calls WHERE id = ?', callId)[0]!.needs_action).toBe(1);
  }, 60_000);

  it('transfers to the front desk through Twilio once the caller has heard the receptionist say so', async () => {
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [{ user: 'Can I talk to a person?', replies: [{ call: 'transfer_to_staff', arguments: { reason: 'caller asked' } }, { say: 'Putting you through to the front desk now.' }] }],
    }, '+15035550500');
    await converse(call, session, ['Can I talk to a person?']).catch(() => undefined);
    const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && 'Twiml' in r.params, 8000);
    expect(redirect.params.Twiml).toContain('+15550109999</Number></Dial>');
    const reply = session.responses.at(-1)!;
    expect(reply.text).toBe('Putting you through to the front desk now.');
    expect(call.playedBytes).toBeGreaterThanOrEqual(session.outputBytes);
    await eventually(() => outcome(callId) === 'transferred', 5000, 'outcome transferred');
    // The stream stopping for the transfer does not mark the call finished: the caller is with staff.
    expect(rig.query<{ status: string }>('SELECT status FROM calls WHERE id = ?', callId)[0]!.status).toBe('in-progress');
  }, 60_000);
});
