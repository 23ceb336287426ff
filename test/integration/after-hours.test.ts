import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { converse, scriptedCall, toolOutputs } from '../harness/conversation.js';
import { startRig, type Rig } from '../harness/call-rig.js';
import { CLINIC_TZ, seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const AFTER_HOURS_SERVICE = '+15035550999';
const ALWAYS_OPEN = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ startMin: 0, endMin: 1440 }]]));

/** Opening hours and closures decide each call's mode, whatever time the tests run. */
describe('after hours', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  let closureId: number | null = null;
  const today = () => DateTime.now().setZone(CLINIC_TZ).toISODate()!;

  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    clinic = await seedClinic(rig);
    expect((await rig.handler('clinic/update', { hours: ALWAYS_OPEN })).ok).toBe(true);
  });
  afterAll(async () => {
    await rig?.close();
  });
  beforeEach(async () => {
    if (closureId !== null) await rig.handler('closures/remove', { id: closureId });
    closureId = null;
  });

  const closeToday = async () => {
    const reply = await rig.handler<{ id: number }>('closures/add', { startDate: today(), reason: 'Holiday' });
    if (!reply.ok) throw new Error(reply.error.message);
    closureId = reply.value.id;
  };
  const greetingAskedFor = (session: { responses: Array<{ request?: unknown }> }) => String((session.responses[0]?.request as { instructions?: string } | undefined)?.instructions ?? '');

  it('open: the usual greeting and no after-hours rule', async () => {
    const { call, session } = await scriptedCall(rig, { greeting: GREETING }, '+15035550701');
    await converse(call, session, []);
    expect(greetingAskedFor(session)).toContain('This is the virtual receptionist. How can I help you today?');
    expect(String(session.config.instructions)).not.toMatch(/closed right now/);
    await call.hangup();
  }, 60_000);

  it('a holiday from the closures list is after hours: the clinic’s own after-hours greeting, and with "messages only" the diary is off limits', async () => {
    await closeToday();
    expect((await rig.handler('clinic/update', { afterHours: { mode: 'messages', greeting: 'Glow Med Spa is closed for the holiday. I can take a message.' } })).ok).toBe(true);
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'Can I book Botox tomorrow at 2?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'We are closed, may I take a message?' }] }],
    }, '+15035550702');
    await converse(call, session, ['Can I book Botox tomorrow at 2?']);
    expect(greetingAskedFor(session)).toContain('Glow Med Spa is closed for the holiday. I can take a message.');
    expect(String(session.config.instructions)).toMatch(/closed right now\. Do not book, move or cancel/);
    expect(toolOutputs(session)[0]).toMatchObject({ done: false, reason: 'closed', say: expect.stringMatching(/take_message/) });
    await call.hangup();
  }, 60_000);

  it('with "book as usual", the receptionist greets as closed and still books', async () => {
    await closeToday();
    expect((await rig.handler('clinic/update', { afterHours: { mode: 'normal', greeting: '' } })).ok).toBe(true);
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'Botox tomorrow at 2?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'Two is free.' }] }],
    }, '+15035550703');
    await converse(call, session, ['Botox tomorrow at 2?']);
    expect(greetingAskedFor(session)).toContain('We are closed right now. This is the virtual receptionist; I can still help with appointments');
    expect(toolOutputs(session)[0]).toMatchObject({ done: true, available: true });
    await call.hangup();
  }, 60_000);

  it('with "transfer", the call goes straight to the after-hours service with the greeting, never to the receptionist', async () => {
    await closeToday();
    const bad = await rig.handler('clinic/update', { afterHours: { mode: 'transfer', transferTo: '' } });
    expect(bad).toMatchObject({ ok: false, error: { message: 'Enter the after-hours number to transfer calls to.' } });
    expect((await rig.handler('clinic/update', { afterHours: { mode: 'transfer', transferTo: AFTER_HOURS_SERVICE, greeting: '' } })).ok).toBe(true);
    const sessionsBefore = rig.realtime.sessions.length;
    const call = await rig.twilio.placeCall({ from: '+15035550704', to: '+15550001234' });
    expect(call.voiceResponse.body).toContain(`${AFTER_HOURS_SERVICE}</Dial>`);
    expect(call.voiceResponse.body).toContain('We are closed right now; connecting you to our after-hours service.');
    expect(call.voiceResponse.streamUrl).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.realtime.sessions.length).toBe(sessionsBefore);
    expect(rig.query<{ outcome: string; end_reason: string }>('SELECT outcome, end_reason FROM calls WHERE call_sid = ?', call.callSid)[0]).toEqual({ outcome: 'transferred', end_reason: 'after_hours_transfer' });
    await rig.handler('clinic/update', { afterHours: { mode: 'normal' } });
  }, 60_000);
});
