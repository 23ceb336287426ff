import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, outcomeOf, scriptedCall, toolOutputs } from '../harness/conversation.js';
import type { Script } from '../sim/realtime/index.js';
import { eventually, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';
import type { GoogleCalendarSim } from '../sim/google/index.js';
import { startGoogleRig } from '../harness/google-rig.js';

const CALLER = '+15035550123';
const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const PRIYA_CAL = 'priya@glow.test';

describe('golden-path calls with Google Calendar connected', () => {
  let google: GoogleCalendarSim;
  let rig: Rig;
  let clinic: SeededClinic;

  beforeAll(async () => {
    ({ rig, google } = await startGoogleRig({ greeting: GREETING }));
    clinic = await seedClinic(rig);
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
    await google?.close();
  });

  // The golden caller's carrier fully attests their number (STIR/SHAKEN A), as most US mobiles do.
  const callWith = (script: Script, from = CALLER) => scriptedCall(rig, script, from, undefined, { stirVerstat: 'TN-Validation-Passed-A' });
  const outcome = (callId: number) => outcomeOf(rig, callId);

  it('keeps the Google refresh token sealed, never in plain text', async () => {
    const status = await rig.handler<{ backend: string }>('calendar/status');
    expect(status).toMatchObject({ ok: true, value: { backend: 'google' } });
    const [sealed] = rig.query<{ value: string }>("SELECT value FROM settings WHERE key = 'google.refreshToken.sealed'");
    expect(JSON.parse(sealed!.value)).toMatch(/^v1:/);
    const issued = [...(google as unknown as { oauth: { refreshTokens: Map<string, unknown> } }).oauth.refreshTokens.keys()];
    expect(issued.length).toBeGreaterThan(0);
    const everything = JSON.stringify(rig.query('SELECT * FROM settings'));
    for (const token of issued) expect(everything).not.toContain(token);
  });

  it('1. books Botox tomorrow at 2 PM: one appointment and one event on Priya’s calendar', async () => {
    const slotId = `${clinic.priya}@${clinic.tomorrow}T14:00`;
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [
        { user: 'Botox tomorrow at 2 PM please', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'That is free with Priya. Your name?' }] },
        { user: 'Jane Doe', replies: [{ call: 'book_appointment', arguments: { slot_id: slotId, service: 'Botox', patient_name: 'Jane Doe', date_of_birth: '1990-05-17', phone_confirmed: true } }, { say: 'Booked.' }] },
      ],
    });
    await converse(call, session, ['Botox tomorrow at 2 PM please', 'Jane Doe']);
    await call.hangup();
    expect(toolOutputs(session)[1]).toMatchObject({ done: true });
    const appointments = rig.query<{ id: number; external_event_id: string; start_at: number; end_at: number }>("SELECT * FROM appointments WHERE status = 'booked'");
    expect(appointments).toHaveLength(1);
    const events = google.liveEvents(PRIYA_CAL);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.id).toBe(appointments[0]!.external_event_id);
    expect(new Date(event.start!.dateTime!).getTime()).toBe(clinic.at(clinic.tomorrow, '14:00'));
    expect(new Date(event.end!.dateTime!).getTime() - new Date(event.start!.dateTime!).getTime()).toBe(30 * 60_000);
    expect(event.description).toContain('Botox');
    expect(event.description).toContain('Priya Shah');
    expect(event.description).toContain('Jane Doe');
    await eventually(() => outcome(callId) === 'booked', 5000, 'outcome booked');
  }, 60_000);

  it('a slow calendar: the caller hears one short filler line while the tool runs, then the answer, never two replies at once', async () => {
    google.stallNext(3500);
    const { call, session } = await callWith(
      {
        greeting: GREETING,
        turns: [{ user: 'Any Botox tomorrow at eleven?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '11:00' } }, { say: 'Yes, 11 works with Priya.' }] }],
      },
      '+15035550177',
    );
    await converse(call, session, ['Any Botox tomorrow at eleven?']);
    const creates = session.received.filter((r) => r.event.type === 'response.create');
    const filler = creates.find((r) => /still checking/i.test(String(r.event.response?.instructions ?? '')));
    expect(filler?.event.response.tool_choice).toBe('none');
    const output = session.functionOutputs[0]!;
    expect(filler!.at).toBeLessThan(output.at);
    // The answer is asked for only after the filler's response finished: OpenAI would refuse it otherwise.
    const answerAsk = creates.find((r) => r.at >= output.at)!;
    const fillerResponse = session.responses.find((r) => r.text === 'Mm-hm.')!;
    expect(answerAsk.at).toBeGreaterThanOrEqual(fillerResponse.doneAt!);
    expect(session.responses.at(-1)!.text).toBe('Yes, 11 works with Priya.');
    expect(session.refusals).toEqual([]);
    await call.hangup();
  }, 60_000);

  it('2. reschedules by caller ID: the same appointment and the same event move, nothing is duplicated', async () => {
    const [before] = rig.query<{ id: number; external_event_id: string }>("SELECT * FROM appointments WHERE status = 'booked'");
    const newSlot = `${clinic.priya}@${clinic.tomorrow}T16:00`;
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [
        { user: 'I need to move my appointment', replies: [{ call: 'find_appointments', arguments: {} }, { say: 'I see your Botox tomorrow at 2. When instead?' }] },
        { user: 'Four o clock', replies: [{ call: 'check_availability', arguments: { service: 'Botox', provider: 'Priya', date: clinic.tomorrow, time: '16:00' } }, { say: 'Four is free. Shall I move it?' }] },
        { user: 'Yes please', replies: [{ call: 'reschedule_appointment', arguments: { appointment_id: before!.id, slot_id: newSlot } }, { say: 'Moved to 4 PM.' }] },
      ],
    });
    await converse(call, session, ['I need to move my appointment', 'Four o clock', 'Yes please']);
    await call.hangup();
    const [found, , moved] = toolOutputs(session);
    expect(found!.appointments).toEqual([expect.objectContaining({ appointment_id: before!.id, service: 'Botox' })]);
    expect(moved).toMatchObject({ done: true, appointment_id: before!.id });
    const after = rig.query<{ id: number; start_at: number; external_event_id: string }>("SELECT * FROM appointments WHERE status = 'booked'");
    expect(after).toEqual([expect.objectContaining({ id: before!.id, start_at: clinic.at(clinic.tomorrow, '16:00'), external_event_id: before!.external_event_id })]);
    const events = google.liveEvents(PRIYA_CAL);
    expect(events).toHaveLength(1);
    expect(new Date(events[0]!.start!.dateTime!).getTime()).toBe(clinic.at(clinic.tomorrow, '16:00'));
    await eventually(() => outcome(callId) === 'rescheduled', 5000, 'outcome rescheduled');
  }, 60_000);

  it('6. Google returns 503, then 401: the caller hears the friendly path, the call is flagged and stays up, errors are recorded', async () => {
    const { call, session, callId } = await callWith({
      greeting: GREETING,
      turns: [
        { user: 'Do you have Botox tomorrow at ten?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '10:00' } }, { say: 'Our booking system is unavailable. Can I take your number?' }] },
        { user: 'Could you try again?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '10:00' } }, { say: 'Let me put you through to the front desk.' }] },
      ],
    }, '+15035550555');
    await converse(call, session, []);
    google.failNext(503, 2);
    await converse(call, session, ['Do you have Botox tomorrow at ten?']);
    google.failNext(401, 3);
    await converse(call, session, ['Could you try again?']);
    const [unavailable, unauthorized] = toolOutputs(session);
    expect(unavailable).toMatchObject({ done: false, calendar_error: 'unavailable', say: expect.stringMatching(/isn’t available right now/) });
    expect(unavailable!.next).toMatch(/take_message/);
    expect(unauthorized).toMatchObject({ done: false, calendar_error: 'auth' });
    expect(unauthorized!.next).toMatch(/transfer_to_staff/);
    const errors = rig.query<{ type: string; severity: string }>('SELECT type, severity FROM system_errors WHERE call_id = ? ORDER BY id', callId);
    expect(errors).toEqual([
      { type: 'calendar_unavailable', severity: 'error' },
      { type: 'calendar_setup', severity: 'critical' },
    ]);
    expect(rig.query<{ needs_action: number }>('SELECT needs_action FROM calls WHERE id = ?', callId)[0]!.needs_action).toBe(1);
    // The media socket is still up: the caller is still talking to the receptionist.
    expect(call.redirects).toEqual([]);
    const heard = call.framesSent;
    await session.waitFor((s) => s.inputBytes >= (heard + 10) * 160, 3000);
    await call.hangup();
    expect(rig.query("SELECT * FROM appointments WHERE booked_by_call_id = ?", callId)).toEqual([]);
  }, 60_000);
});
