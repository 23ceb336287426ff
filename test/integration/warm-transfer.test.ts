import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, outcomeOf, scriptedCall, toolOutputs, untilReceptionistDone } from '../harness/conversation.js';
import { eventually, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';
import type { SimCall } from '../sim/twilio/index.js';
import type { SimSession } from '../sim/realtime/index.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const ASK_FOR_PERSON = 'Can I talk to someone about my bill?';
const PUT_THROUGH = [
  { say: 'Of course, putting you through now.' },
  { call: 'transfer_to_staff', arguments: { reason: 'wants to discuss a bill', caller_name: 'Ana Lopez' } },
];
const BACK = [{ say: 'I am sorry, nobody at the front desk could take your call. May I take a message?' }];

/**
 * Warm transfers through the simulators: Twilio's <Dial> rings the front desk (a phone the
 * test plays), which hears the whisper on its own leg and takes the call with a key, or does
 * not, and then the caller comes back to the receptionist for a message.
 */
describe('warm transfer', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  const connectWhen = async (connect: 'press-key' | 'stay-on-line') => {
    const saved = await rig.handler('clinic/update', { transfers: { connect } });
    expect(saved.ok).toBe(true);
  };

  /** A call that asks for a person and is put through by the receptionist. */
  async function askForPerson(from: string, backScript?: Parameters<Rig['realtime']['queueScript']>[0]) {
    const placed = await scriptedCall(rig, { greeting: GREETING, turns: [{ user: ASK_FOR_PERSON, replies: PUT_THROUGH }] }, from);
    if (backScript) rig.realtime.queueScript(backScript);
    const sessionsBefore = rig.realtime.sessions.length;
    await converse(placed.call, placed.session, [ASK_FOR_PERSON]).catch(() => undefined);
    await placed.call.waitFor((c) => c.dials.length === 1, 10_000);
    return { ...placed, sessionsBefore };
  }

  /** The receptionist's session for the call's second stream, once the caller has heard its first reply. */
  async function backWithReceptionist(call: SimCall, sessionsBefore: number): Promise<SimSession> {
    await call.waitFor((c) => c.streams.length === 2 && c.stream.streamSid !== undefined, 10_000);
    const session = await rig.realtime.waitForSession(sessionsBefore);
    await untilReceptionistDone(call, session);
    return session;
  }

  it('the desk hears who is calling and why, presses 1, and is put through; the caller never comes back', async () => {
    await connectWhen('press-key');
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'answer', duringWhisper: { press: '1' } });
    const { call, callId } = await askForPerson('+15035550601');

    const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && 'Twiml' in r.params, 8000);
    expect(redirect.params.Twiml).toContain(`<Number url="https://clinic.deskline.test/twilio/transfer/whisper?call=${call.callSid}" method="POST">${TRANSFER_NUMBER}</Number>`);
    const [dial] = call.dials;
    expect(dial!.heard[0]).toBe('Call from Ana Lopez, number ending 0 6 0 1: wants to discuss a bill. Press 1 to take the call, or 2 to send it back to the receptionist.');
    expect(dial!.pressed).toEqual(['1']);
    expect(dial!.bridged).toBe(true);
    expect(call.status).toBe('in-progress');
    expect(call.streams).toHaveLength(1);
    await eventually(() => outcomeOf(rig, callId) === 'transferred', 5000, 'outcome transferred');
    // The whisper names the caller: it goes to the desk's phone, never to the log.
    expect(rig.engine.output()).not.toContain('Ana Lopez');

    // The desk hangs up at the end of the conversation: Twilio asks the engine, which ends the call.
    await call.staffHangsUp();
    expect(call.dials[0]!.actionResponse?.body).toContain('<Hangup/>');
    expect(call.status).toBe('completed');
    expect(call.protocolErrors).toEqual([]);
  }, 60_000);

  it('nobody answers: the caller comes back to the receptionist, who apologises and takes a message (no voicemail)', async () => {
    await connectWhen('press-key');
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'no-answer' });
    const { call, session: first, callId, sessionsBefore } = await askForPerson('+15035550602', {
      greeting: BACK,
      turns: [
        { user: 'Yes, ask them to call me about my bill', replies: [{ call: 'take_message', arguments: { reason: 'Call back about a bill', caller_name: 'Ana Lopez' } }, { say: 'I have passed that on.' }] },
      ],
    });
    expect(call.dials[0]!.dialCallStatus).toBe('no-answer');
    const back = await backWithReceptionist(call, sessionsBefore);
    expect(back).not.toBe(first);

    // The new session knows the conversation so far (as items, not instructions) and is told what happened.
    const items = back.received.filter((r) => r.event.type === 'conversation.item.create').map((r) => JSON.stringify(r.event));
    expect(items.some((i) => i.includes(ASK_FOR_PERSON.replace('?', '')) || i.includes('bill'))).toBe(true);
    const firstAsk = back.received.find((r) => r.event.type === 'response.create')?.event as { response?: { instructions?: string } } | undefined;
    expect(firstAsk?.response?.instructions).toMatch(/nobody at the front desk answered.*offer to take a message/s);
    expect(String(back.config.instructions)).toMatch(/already greeted the caller/);
    expect(back.responses[0]?.text).toBe(BACK[0]!.say);
    // The live card is back on the board.
    const live = await rig.handler<Array<{ call: { id: number } }>>('live/list', {});
    expect(live.ok && live.value.some((v) => v.call.id === callId)).toBe(true);

    await converse(call, back, ['Yes, ask them to call me about my bill']);
    expect(toolOutputs(back)[0]).toMatchObject({ done: true });
    expect(rig.query<{ reason: string }>('SELECT reason FROM messages WHERE call_id = ?', callId)).toEqual([{ reason: 'Call back about a bill' }]);
    expect(call.reachedVoicemail).toBe(false);
    await call.hangup();
    await eventually(() => outcomeOf(rig, callId) === 'message_taken', 5000, 'outcome message_taken');
    expect(call.protocolErrors).toEqual([]);
  }, 60_000);

  it('a desk phone whose own voicemail answers never takes the caller: nobody presses 1, and the receptionist has them back', async () => {
    await connectWhen('press-key');
    // Answered, but nobody presses anything: an answering machine.
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'answer' });
    const { call, callId, sessionsBefore } = await askForPerson('+15035550603', { greeting: BACK, afterScript: 'quiet' });
    const [dial] = call.dials;
    expect(dial!.bridged).toBe(false);
    // Twilio reports the leg as answered; only the engine's own record says nobody took it.
    expect(dial!.dialCallStatus).toBe('completed');
    expect(dial!.heard.at(-1)).toMatch(/goes back to the receptionist/);
    await backWithReceptionist(call, sessionsBefore);
    await call.hangup();
    // The transfer did not happen: the call is not recorded as transferred.
    await eventually(() => outcomeOf(rig, callId) !== null, 5000, 'outcome settled');
    expect(outcomeOf(rig, callId)).not.toBe('transferred');
  }, 60_000);

  it('pressing 2 sends the call back, and the receptionist does not try the desk a second time', async () => {
    await connectWhen('press-key');
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'answer', duringWhisper: { press: '2' } });
    const { call, sessionsBefore } = await askForPerson('+15035550604', {
      greeting: [{ say: 'I am sorry, nobody is free right now. May I take a message?' }],
      turns: [{ user: 'No, just put me through again', replies: [{ call: 'transfer_to_staff', arguments: { reason: 'insists on a person' } }, { say: 'Let me take a message instead.' }] }],
    });
    expect(call.dials[0]!.heard.at(-1)).toMatch(/receptionist, who will take a message/);
    const back = await backWithReceptionist(call, sessionsBefore);
    const firstAsk = back.received.find((r) => r.event.type === 'response.create')?.event as { response?: { instructions?: string } } | undefined;
    expect(firstAsk?.response?.instructions).toMatch(/nobody at the front desk is free/);
    await converse(call, back, ['No, just put me through again']);
    expect(toolOutputs(back)[0]).toMatchObject({ done: false, next: 'take_message' });
    expect(call.dials).toHaveLength(1);
    await call.hangup();
  }, 60_000);

  it('"stay on the line": the desk is put through without a key once the whisper has played', async () => {
    await connectWhen('stay-on-line');
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'answer', duringWhisper: 'stay' });
    const { call } = await askForPerson('+15035550605');
    const [dial] = call.dials;
    expect(dial!.heard).toEqual(['Call from Ana Lopez, number ending 0 6 0 5: wants to discuss a bill. Connecting you now.']);
    expect(dial!.pressed).toEqual([]);
    expect(dial!.bridged).toBe(true);
    await call.staffHangsUp();
    expect(call.protocolErrors).toEqual([]);
  }, 60_000);

  it('a transfer staff start from the live card gets the same whisper: the name given and the caller’s last words', async () => {
    await connectWhen('press-key');
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'answer', duringWhisper: { press: '1' } });
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'This is Sam Park, I have a question about my invoice', replies: [{ say: 'Let me see how I can help.' }] }],
      afterScript: 'quiet',
    }, '+15035550606');
    await converse(call, session, ['This is Sam Park, I have a question about my invoice']);
    expect(await rig.handler('live/transfer', { callSid: call.callSid })).toEqual({ ok: true });
    await call.waitFor((c) => c.dials.length === 1, 10_000);
    expect(call.heard).toEqual(['Please hold while I connect you to the front desk.']);
    expect(call.dials[0]!.heard[0]).toMatch(/^Call from a caller, number ending 0 6 0 6: put through from the dashboard; they last said: .*invoice/i);
    expect(call.dials[0]!.bridged).toBe(true);
    await call.staffHangsUp();
  }, 60_000);
});
