import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, scriptedCall, toolOutputs } from '../harness/conversation.js';
import { startRig, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';

const SALUDO = [{ say: 'Gracias por llamar a Glow Med Spa.' }];

/** A Spanish-speaking caller, through the simulators: the language rules travel with the session, and the record keeps what was said. */
describe('a Spanish-speaking caller', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: SALUDO } } });
    clinic = await seedClinic(rig);
    expect((await rig.handler('clinic/update', { languages: { bilingualGreeting: true } })).ok).toBe(true);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('hears a bilingual greeting, is answered in Spanish, and the transcript keeps the Spanish while the message for staff is in English', async () => {
    const { call, session, callId } = await scriptedCall(rig, {
      greeting: SALUDO,
      turns: [
        { user: '¿Tienen Botox mañana a las dos?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'Sí, mañana a las dos con Priya está libre.' }] },
        { user: 'Mejor que me llamen, soy Ana Ruiz', replies: [{ call: 'take_message', arguments: { reason: 'Wants Botox tomorrow at 2 PM; asked for a call back in Spanish', caller_name: 'Ana Ruiz' } }, { say: 'Listo, el equipo la llamará.' }] },
      ],
    }, '+15035550321');
    await converse(call, session, ['¿Tienen Botox mañana a las dos?', 'Mejor que me llamen, soy Ana Ruiz']);
    const greetingRequest = String((session.responses[0]!.request as { instructions?: string }).instructions);
    expect(greetingRequest).toContain('Para español, hable en español.');
    expect(String(session.config.instructions)).toContain('You may speak English, Spanish');
    // Language detection is the model’s: the engine never forces a transcription language.
    expect(JSON.stringify(session.config)).not.toMatch(/"language"/);
    expect(toolOutputs(session)[0]).toMatchObject({ available: true });
    const lines = rig.query<{ speaker: string; text: string }>('SELECT speaker, text FROM transcript_lines WHERE call_id = ? ORDER BY id', callId);
    expect(lines).toContainEqual({ speaker: 'caller', text: '¿Tienen Botox mañana a las dos?' });
    expect(lines).toContainEqual({ speaker: 'receptionist', text: 'Sí, mañana a las dos con Priya está libre.' });
    expect(rig.query<{ reason: string }>('SELECT reason FROM messages WHERE call_id = ?', callId)).toEqual([{ reason: 'Wants Botox tomorrow at 2 PM; asked for a call back in Spanish' }]);
    await call.hangup();
  }, 60_000);
});
