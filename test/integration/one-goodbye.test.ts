import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, scriptedCall } from '../harness/conversation.js';
import { eventually, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];

/** Each ending is announced once: by the receptionist, never again by a second reply or the engine's TwiML. */
describe('one goodbye', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('a goodbye said with end_call is the last thing the caller hears: no second reply, then the hang-up', async () => {
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'That is all, thanks', replies: [{ say: 'You are welcome, goodbye!' }, { call: 'end_call', arguments: {} }] }],
      afterScript: 'filler',
    }, '+15035550811');
    await converse(call, session, ['That is all, thanks']).catch(() => undefined);
    const hangUp = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.params.Status === 'completed', 8000);
    expect(hangUp.at).toBeGreaterThanOrEqual(call.marksReturned.at(-1)!.at);
    // Greeting + the goodbye turn; nothing asked of the model after end_call answered.
    expect(session.responses.filter((r) => r.kind === 'audio' && r.text).map((r) => r.text)).toEqual(['Thank you for calling Glow Med Spa.', 'You are welcome, goodbye!']);
    expect(session.functionOutputs).toHaveLength(1);
  }, 60_000);

  it('a model that calls end_call before saying goodbye is asked for exactly one goodbye', async () => {
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'Bye', replies: [{ call: 'end_call', arguments: {} }, { say: 'Goodbye!' }] }],
    }, '+15035550812');
    await converse(call, session, ['Bye']).catch(() => undefined);
    await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && r.params.Status === 'completed', 8000);
    expect(session.responses.filter((r) => r.text === 'Goodbye!')).toHaveLength(1);
  }, 60_000);

  it('the receptionist’s own transfer is announced by the receptionist only: the TwiML has no second announcement', async () => {
    const { call, session, callId } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'Can I speak to someone?', replies: [{ say: 'Sure, putting you through now.' }, { call: 'transfer_to_staff', arguments: {} }] }],
    }, '+15035550813');
    await converse(call, session, ['Can I speak to someone?']).catch(() => undefined);
    const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && 'Twiml' in r.params, 8000);
    expect(redirect.params.Twiml).toContain(`${TRANSFER_NUMBER}</Number></Dial>`);
    expect(redirect.params.Twiml).not.toContain('<Say');
    expect(redirect.at).toBeGreaterThanOrEqual(call.marksReturned.at(-1)!.at);
    expect(session.responses.filter((r) => r.kind === 'audio' && r.text).map((r) => r.text)).toEqual(['Thank you for calling Glow Med Spa.', 'Sure, putting you through now.']);
    await eventually(() => rig.query<{ outcome: string | null }>('SELECT outcome FROM calls WHERE id = ?', callId)[0]?.outcome === 'transferred', 5000, 'outcome transferred');
  }, 60_000);
});
