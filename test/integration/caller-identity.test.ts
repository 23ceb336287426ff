import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, scriptedCall, toolOutputs } from '../harness/conversation.js';
import { startRig, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const PATIENT = '+15035550444';

/**
 * Identity before records, through the simulators: the same patient's number, with and
 * without Twilio's STIR/SHAKEN attestation on the incoming call.
 */
describe('identity before records', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    clinic = await seedClinic(rig);
    const slotId = `${clinic.priya}@${clinic.tomorrow}T15:00`;
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [
        { user: 'Botox tomorrow at 3', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '15:00' } }, { say: 'Three is free.' }] },
        { user: 'Lena Fox, born 2 March 1985', replies: [{ call: 'book_appointment', arguments: { slot_id: slotId, service: 'Botox', patient_name: 'Lena Fox', date_of_birth: '1985-03-02', phone_confirmed: true } }, { say: 'Booked.' }] },
      ],
    }, PATIENT, undefined, { stirVerstat: 'TN-Validation-Passed-A' });
    await converse(call, session, ['Botox tomorrow at 3', 'Lena Fox, born 2 March 1985']);
    expect(toolOutputs(session)[1]).toMatchObject({ done: true });
    await call.hangup();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const lookUp = (stirVerstat: string | undefined) =>
    scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'When is my appointment?', replies: [{ call: 'find_appointments', arguments: {} }, { say: 'Let me see.' }] }],
    }, PATIENT, undefined, stirVerstat ? { stirVerstat } : {});

  it('an attested call from the patient’s number hears their appointment', async () => {
    const { call, session } = await lookUp('TN-Validation-Passed-A');
    await converse(call, session, ['When is my appointment?']);
    expect(toolOutputs(session)[0]).toMatchObject({ verified: true, appointments: [expect.objectContaining({ service: 'Botox' })] });
    await call.hangup();
  }, 60_000);

  it('the same number without full attestation (spoofable) is asked for name and date of birth, and told nothing', async () => {
    for (const verdict of ['TN-Validation-Passed-C', undefined]) {
      const { call, session, callId } = await lookUp(verdict);
      await converse(call, session, ['When is my appointment?']);
      const [reply] = toolOutputs(session);
      expect(reply).toMatchObject({ verified: false, say: expect.stringMatching(/full name and date of birth/) });
      expect(JSON.stringify(reply)).not.toMatch(/Botox|3:00/);
      expect(rig.query<{ stir_verstat: string | null }>('SELECT stir_verstat FROM calls WHERE id = ?', callId)[0]!.stir_verstat).toBe(verdict ?? null);
      await call.hangup();
    }
  }, 60_000);

  it('the clinic can choose to trust caller ID without attestation (Settings)', async () => {
    expect((await rig.handler('clinic/update', { identity: { trustUnverifiedCallerId: true } })).ok).toBe(true);
    try {
      const { call, session } = await lookUp(undefined);
      await converse(call, session, ['When is my appointment?']);
      expect(toolOutputs(session)[0]).toMatchObject({ verified: true });
      await call.hangup();
    } finally {
      await rig.handler('clinic/update', { identity: { trustUnverifiedCallerId: false } });
    }
  }, 60_000);
});
