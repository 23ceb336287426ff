import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_BASE_URL, startRig, type Rig } from '../harness/call-rig.js';

/** Settings → Phone: the account's numbers, pointed at this PC through Twilio's API, and put back. */
describe('the Twilio number, configured from Settings', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('lists the numbers, points one at this PC (voice, status, SMS, all POST), says what changed, notices a change made elsewhere, and puts it back', async () => {
    const clinic = rig.twilio.phoneNumbers.add('+15550001234', { friendlyName: 'Front desk line', voiceUrl: 'https://demo.twilio.com/welcome/voice/', voiceMethod: 'GET', smsUrl: 'https://old.example.com/sms' });
    rig.twilio.phoneNumbers.add('+15550009999', { friendlyName: 'Fax line' });
    const listed = await rig.handler<Array<{ sid: string; phoneNumber: string; connected: boolean; pointsHere: boolean }>>('twilio/numbers');
    expect(listed.ok && listed.value.map((n) => [n.phoneNumber, n.connected, n.pointsHere])).toEqual([['+15550001234', false, false], ['+15550009999', false, false]]);

    const connected = await rig.handler<{ number: { pointsHere: boolean; connected: boolean }; changed: Array<{ field: string; before: string | null; after: string }> }>('twilio/connect-number', { sid: clinic.sid });
    expect(connected.ok && connected.value.number).toMatchObject({ connected: true, pointsHere: true });
    expect(connected.ok && connected.value.changed).toEqual([
      { field: 'voiceUrl', before: 'https://demo.twilio.com/welcome/voice/', after: `${PUBLIC_BASE_URL}/twilio/voice` },
      { field: 'voiceMethod', before: 'GET', after: 'POST' },
      { field: 'statusCallback', before: null, after: `${PUBLIC_BASE_URL}/twilio/status` },
      { field: 'smsUrl', before: 'https://old.example.com/sms', after: `${PUBLIC_BASE_URL}/twilio/sms` },
    ]);
    expect(rig.twilio.phoneNumbers.numbers.get(clinic.sid)).toMatchObject({ voiceUrl: `${PUBLIC_BASE_URL}/twilio/voice`, voiceMethod: 'POST', statusCallback: `${PUBLIC_BASE_URL}/twilio/status`, statusCallbackMethod: 'POST', smsUrl: `${PUBLIC_BASE_URL}/twilio/sms`, smsMethod: 'POST' });
    // Texts now go out from it.
    const settings = await rig.handler<{ telephony: { twilioNumber: string } }>('settings/get');
    expect(settings.ok && settings.value.telephony.twilioNumber).toBe('+15550001234');
    type Line = { pointsHere: boolean; problem: string | null } | null;
    /** The status bar's phone line, once it says what `want` expects (Deskline checks in the background). */
    const lineWhen = async (want: (line: Line) => boolean): Promise<Line> => {
      let line: Line = null;
      for (let i = 0; i < 50; i++) {
        const reply = await rig.handler<{ phoneLine: Line }>('status/get');
        line = reply.ok ? reply.value.phoneLine : null;
        if (want(line)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return line;
    };
    expect(await lineWhen((l) => l?.pointsHere === true)).toMatchObject({ pointsHere: true, problem: null });

    // Someone points it elsewhere in the Twilio console: the status bar says so once Deskline looks.
    rig.twilio.phoneNumbers.numbers.get(clinic.sid)!.voiceUrl = 'https://someone-else.example.com/voice';
    await rig.handler('twilio/numbers');
    expect(await lineWhen((l) => l?.pointsHere === false)).toMatchObject({ pointsHere: false, problem: expect.stringMatching(/someone-else\.example\.com.*Settings → Phone/) });
    // One click puts it right; what it was before Deskline is still remembered.
    expect(await rig.handler('twilio/connect-number', { sid: clinic.sid })).toMatchObject({ ok: true, value: { number: { pointsHere: true } } });

    const back = await rig.handler<{ voiceUrl: string; connected: boolean }>('twilio/disconnect-number');
    expect(back).toMatchObject({ ok: true, value: { voiceUrl: 'https://demo.twilio.com/welcome/voice/', connected: false } });
    expect(rig.twilio.phoneNumbers.numbers.get(clinic.sid)).toMatchObject({ voiceUrl: 'https://demo.twilio.com/welcome/voice/', voiceMethod: 'GET', statusCallback: '', smsUrl: 'https://old.example.com/sms' });
    expect(await rig.handler('twilio/disconnect-number')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'No number is connected to this PC.' } });
    expect(await rig.handler('twilio/connect-number', { sid: 'PN' + '0'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
