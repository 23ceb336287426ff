import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import { CLINIC_TZ, seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';
import { converse, scriptedCall } from '../harness/conversation.js';

const CLINIC_NUMBER = '+15550001234';
const MARIA = '+15035550901';

/**
 * The text channel through the simulators: Twilio Messaging (signed webhooks, opt-outs,
 * delivery reports) and OpenAI's Responses endpoint, scripted the way the real model would
 * follow the engine's tool outputs. The booking core is the phone receptionist's own.
 */
describe('texts', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  let laser: number;
  beforeAll(async () => {
    rig = await startRig();
    clinic = await seedClinic(rig);
    const saved = await rig.handler<{ id: number }>('services/save', { name: 'Laser hair removal', durationMin: 45, bufferAfterMin: 0, priceCents: 15000, priceFrom: false, providerIds: [clinic.priya] });
    if (!saved.ok) throw new Error(saved.error.message);
    laser = saved.value.id;
    // Maria is on file (she booked, then cancelled, a Botox): the texts need not ask her details again.
    // That history is set up quietly, without the confirmation texts it would send.
    expect((await rig.handler('clinic/update', { texting: { confirmations: false } })).ok).toBe(true);
    const earlier = await rig.handler<{ id: number }>('appointments/create', { serviceId: clinic.botox, providerId: clinic.priya, start: clinic.at(clinic.tomorrow, '16:00'), patientName: 'Maria Garcia', patientPhone: MARIA });
    if (!earlier.ok) throw new Error(earlier.error.message);
    await rig.handler('appointments/cancel', { id: earlier.value.id });
    expect((await rig.handler('clinic/update', { texting: { confirmations: true } })).ok).toBe(true);
  });
  afterAll(async () => {
    await rig?.close();
  });

  const textsTo = (phone: string) => rig.twilio.messages.filter((m) => m.to === phone);
  const threadOf = (phone: string) => rig.query<{ id: number; channel: string; outcome: string | null; needs_action: number }>("SELECT id, channel, outcome, needs_action FROM calls WHERE channel = 'sms' AND from_number = ?", phone)[0];

  /** The patient texts and waits for the clinic's reply (the n-th text they have had). */
  async function text(from: string, body: string, replies: number) {
    const record = await rig.twilio.sendSms({ from, to: CLINIC_NUMBER, body });
    expect(record.response.status).toBe(200);
    await eventually(() => textsTo(from).length >= replies, 15_000, `reply ${replies} to "${body}"`);
    return { record, reply: textsTo(from)[replies - 1]!.body };
  }

  it('golden path 5: "laser hair removal", "next Tuesday around 11", "11 works" books one appointment; the thread is in the call log as sms, booked', async () => {
    const today = DateTime.now().setZone(CLINIC_TZ);
    const tuesday = today.plus({ days: ((2 - today.weekday + 7) % 7) || 7 }).toISODate()!;
    const slotId = `${clinic.priya}@${tuesday}T11:00`;
    const requestsBefore = rig.realtime.responses.conversational.length;
    rig.realtime.responses.queue(
      { say: 'Happy to help with laser hair removal! What day and time would suit you?' },
      { call: 'check_availability', arguments: { service: 'Laser hair removal', date: tuesday, time: '11:00' } },
      { say: 'Next Tuesday I have 11:00 AM with Priya. Does that work?' },
      { call: 'book_appointment', arguments: { slot_id: slotId, service: 'Laser hair removal', patient_name: 'Maria Garcia' } },
      { say: 'You are booked for laser hair removal next Tuesday at 11:00 AM with Priya. See you then!' },
    );

    expect((await text(MARIA, 'Hi, I need a laser hair removal appointment', 1)).reply).toMatch(/What day and time/);
    const second = await text(MARIA, 'Next Tuesday around 11 AM', 2);
    expect(second.reply).toMatch(/11:00 AM with Priya/);
    // Twilio retries the webhook: the same text, answered once, no second reply.
    const replay = await rig.twilio.messaging.replay(second.record);
    expect(replay.response.status).toBe(200);
    expect((await text(MARIA, '11 works', 3)).reply).toMatch(/You are booked/);
    // No duplicate: neither Twilio's retry nor a confirmation of a booking the thread itself just confirmed.
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo(MARIA)).toHaveLength(3);

    const booked = rig.query<{ service_id: number; provider_id: number; start_at: number; status: string }>("SELECT service_id, provider_id, start_at, status FROM appointments WHERE status = 'booked'");
    expect(booked).toEqual([{ service_id: laser, provider_id: clinic.priya, start_at: clinic.at(tuesday, '11:00'), status: 'booked' }]);
    // A reminder 24 hours before, unless the appointment is closer than that already.
    const reminderDue = clinic.at(tuesday, '11:00') - 24 * 3_600_000;
    expect(rig.query<{ due_at: number }>("SELECT due_at FROM text_jobs WHERE phone = ? AND kind = 'reminder' AND state = 'pending'", MARIA)).toEqual(reminderDue > Date.now() ? [{ due_at: reminderDue }] : []);
    const thread = threadOf(MARIA)!;
    expect(thread).toMatchObject({ channel: 'sms', outcome: 'booked' });
    expect(rig.query<{ name: string }>('SELECT name FROM tool_calls WHERE call_id = ? ORDER BY id', thread.id).map((t) => t.name)).toEqual(['check_availability', 'book_appointment']);

    // What went to OpenAI: the receptionist's own rules and tools, without the phone-only ones, and the whole thread.
    const requests = rig.realtime.responses.conversational.slice(requestsBefore);
    expect(requests).toHaveLength(5);
    expect(rig.realtime.responses.refusals).toEqual([]);
    const last = requests.at(-1)!.body;
    expect(last.instructions).toMatch(/answering a patient's text messages/);
    expect(last.instructions).toMatch(/Offer only the exact times check_availability returned/);
    expect(last.instructions).toMatch(/do not re-check it first/);
    expect(last.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['check_availability', 'book_appointment', 'take_message']));
    expect(last.tools.map((t: { name: string }) => t.name)).not.toContain('transfer_to_staff');
    expect(last.input.filter((i: { role?: string }) => i.role === 'user').map((i: { content: string }) => i.content)).toEqual([
      'Hi, I need a laser hair removal appointment', 'Next Tuesday around 11 AM', '11 works',
    ]);

    // Staff see the whole thread in call detail, and Twilio's delivery reports reached each text.
    await eventually(() => rig.query('SELECT id FROM transcript_lines WHERE call_id = ?', thread.id).length === 6, 5000, 'six lines');
    const detail = await rig.handler<{ channel: string; outcome: string; transcript: Array<{ speaker: string; text: string }> }>('calls/get', { id: thread.id });
    expect(detail.ok && detail.value).toMatchObject({ channel: 'sms', outcome: 'booked' });
    expect(detail.ok && detail.value.transcript.map((l) => l.speaker)).toEqual(['caller', 'receptionist', 'caller', 'receptionist', 'caller', 'receptionist']);
    await rig.twilio.messaging.settled();
    expect(rig.query<{ status: string }>("SELECT status FROM sms_messages WHERE call_id = ? AND direction = 'outbound'", thread.id).map((m) => m.status)).toEqual(['delivered', 'delivered', 'delivered']);
    // The texts are PHI: not in the log.
    expect(rig.engine.output()).not.toContain('laser hair removal appointment');
  }, 60_000);

  it('HELP says who is texting and how to stop; STOP silences every feature until START', async () => {
    const phone = '+15035550902';
    const requestsBefore = rig.realtime.responses.conversational.length;
    expect((await text(phone, 'HELP', 1)).reply).toBe('Glow Med Spa: texts about your appointments. To reach us, call +15550001234. Msg & data rates may apply. Reply STOP to opt out.');

    await rig.twilio.sendSms({ from: phone, to: CLINIC_NUMBER, body: 'Stop' });
    expect(rig.twilio.messaging.autoReplies.at(-1)).toMatchObject({ to: phone, body: expect.stringMatching(/unsubscribed/) });
    await rig.twilio.sendSms({ from: phone, to: CLINIC_NUMBER, body: 'Can I book a facial?' });
    // Another feature that texts: the on-call alert of an urgent call, set to this number.
    expect((await rig.handler('clinic/update', { safety: { alertNumber: phone } })).ok).toBe(true);
    const { call, session } = await scriptedCall(rig, {
      greeting: [{ say: 'Thank you for calling Glow Med Spa.' }],
      turns: [{ user: 'I am bleeding heavily', replies: [{ call: 'report_urgent', arguments: { situation: 'emergency' } }, { say: 'Please hang up and call 911.' }] }],
      afterScript: 'quiet',
    }, '+15035550909');
    await converse(call, session, ['I am bleeding heavily']);
    await call.hangup();
    await new Promise((r) => setTimeout(r, 500));
    // Nothing was even tried: Twilio never had to refuse a text to an unsubscribed number.
    expect(rig.twilio.restRequests.filter((r) => r.path.endsWith('/Messages.json') && r.params.To === phone)).toHaveLength(1);
    expect(rig.realtime.responses.conversational.length).toBe(requestsBefore);
    expect((await rig.handler('clinic/update', { safety: { alertNumber: '' } })).ok).toBe(true);

    await rig.twilio.sendSms({ from: phone, to: CLINIC_NUMBER, body: 'START' });
    rig.realtime.responses.queue({ say: 'Welcome back! How can we help?' });
    expect((await text(phone, 'Hello again', 2)).reply).toBe('Welcome back! How can we help?');
  }, 60_000);

  it('OpenAI failing: retried with backoff, then "we will text you back" and the thread is flagged for staff; nothing is invented', async () => {
    const phone = '+15035550903';
    const before = rig.realtime.responses.conversational.length;
    rig.realtime.responses.queue({ fail: 500 }, { fail: 500 }, { fail: 500 }, { fail: 500 });
    const { reply } = await text(phone, 'Do you have anything Friday?', 1);
    expect(reply).toBe('Thanks for your text. We could not answer it just now; a member of our team will text you back soon.');
    expect(rig.realtime.responses.conversational.length - before).toBe(4);
    const thread = threadOf(phone)!;
    expect(thread.needs_action).toBe(1);
    expect(rig.query<{ type: string }>('SELECT type FROM system_errors WHERE call_id = ?', thread.id).map((e) => e.type)).toContain('sms_assistant_failed');
    const inbox = await rig.handler<Array<{ callId: number }>>('inbox/list', {});
    expect(inbox.ok && inbox.value.some((i) => i.callId === thread.id)).toBe(true);
  }, 60_000);

  it('staff take a thread over: the receptionist goes quiet, staff reply by hand, and hand it back', async () => {
    const phone = '+15035550904';
    rig.realtime.responses.queue({ say: 'Hi! How can we help?' });
    await text(phone, 'Hello', 1);
    const thread = threadOf(phone)!;
    expect(await rig.handler('sms/reply', { callId: thread.id, body: 'Hi, this is Ana at the desk' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/Take over the thread first/) } });
    expect(await rig.handler('sms/take-over', { callId: thread.id })).toMatchObject({ ok: true, value: { takenOver: true } });

    const requests = rig.realtime.responses.conversational.length;
    await rig.twilio.sendSms({ from: phone, to: CLINIC_NUMBER, body: 'Is Dr. Shah in on Friday?' });
    await eventually(() => threadOf(phone)!.needs_action === 1, 5000, 'thread flagged for staff');
    expect(rig.realtime.responses.conversational.length).toBe(requests);
    expect(textsTo(phone)).toHaveLength(1);
    // The front desk sees it in the Inbox: who, and what is waiting for an answer.
    const inbox = await rig.handler<Array<{ callId: number; title: string; detail: string }>>('inbox/list', {});
    expect(inbox.ok && inbox.value.find((i) => i.callId === thread.id)).toMatchObject({ title: 'Texts from ••• 0904', detail: 'Waiting for a reply to “Is Dr. Shah in on Friday?”' });

    const replied = await rig.handler<{ messages: Array<{ author: string; body: string }> }>('sms/reply', { callId: thread.id, body: 'Yes, she is in on Friday from 9.' });
    expect(replied.ok && replied.value.messages.map((m) => [m.author, m.body])).toEqual([
      ['patient', 'Hello'], ['assistant', 'Hi! How can we help?'], ['patient', 'Is Dr. Shah in on Friday?'], ['staff', 'Yes, she is in on Friday from 9.'],
    ]);
    expect(textsTo(phone).at(-1)).toMatchObject({ from: CLINIC_NUMBER, body: 'Yes, she is in on Friday from 9.' });

    expect(await rig.handler('sms/hand-back', { callId: thread.id })).toMatchObject({ ok: true, value: { takenOver: false } });
    rig.realtime.responses.queue({ say: 'You are welcome!' });
    expect((await text(phone, 'Thanks', 3)).reply).toBe('You are welcome!');
  }, 60_000);
});
