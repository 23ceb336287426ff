import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_BASE_URL, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';
import { seedClinic } from '../harness/clinic-fixture.js';
import { startEngineProcess } from '../harness/engine-process.js';
import Database from 'better-sqlite3';
import { join } from 'node:path';

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
      { field: 'voiceFallbackUrl', before: null, after: expect.stringMatching(/^https:\/\/webhooks\.twilio\.com\/v1\/Accounts\/AC\w+\/Flows\/FW\w{32}$/) },
    ]);
    expect(rig.twilio.phoneNumbers.numbers.get(clinic.sid)).toMatchObject({ voiceUrl: `${PUBLIC_BASE_URL}/twilio/voice`, voiceMethod: 'POST', statusCallback: `${PUBLIC_BASE_URL}/twilio/status`, statusCallbackMethod: 'POST', smsUrl: `${PUBLIC_BASE_URL}/twilio/sms`, smsMethod: 'POST' });
    // And a fallback at Twilio for when this PC does not answer: a published Studio flow that rings the front desk.
    const [flow] = [...rig.twilio.studio.flows.values()];
    expect(flow).toMatchObject({ status: 'published' });
    expect(rig.twilio.phoneNumbers.numbers.get(clinic.sid)).toMatchObject({ voiceFallbackUrl: rig.twilio.studio.webhookUrl(flow!.sid), voiceFallbackMethod: 'POST' });
    expect(flow!.definition.states.find((st) => st.type === 'connect-call-to')?.properties.to).toBe(TRANSFER_NUMBER);
    expect(connected.ok && connected.value.number).toMatchObject({ fallback: { dials: TRANSFER_NUMBER } });
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

    // The front desk gets a new number: the fallback rings it from then on.
    expect(await rig.handler('settings/update', { telephony: { transferNumber: '+15550107777' } })).toMatchObject({ ok: true });
    await rig.handler('twilio/numbers');
    for (let i = 0; i < 50 && flow!.definition.states.find((st) => st.type === 'connect-call-to')?.properties.to !== '+15550107777'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(flow!.definition.states.find((st) => st.type === 'connect-call-to')?.properties.to).toBe('+15550107777');
    const listed2 = await rig.handler<Array<{ fallback: { dials: string | null } | null }>>('twilio/numbers');
    expect(listed2.ok && listed2.value[0]!.fallback).toEqual({ dials: '+15550107777' });

    // The self-test says, in words, what reaches this PC and what does not (the test's public address is not real).
    const test = await rig.handler<Array<{ name: string; ok: boolean; words: string }>>('twilio/self-test');
    expect(test.ok && test.value).toEqual([
      { name: 'Twilio account', ok: true, words: 'Twilio accepts the Account SID and Auth Token.' },
      { name: 'Public address', ok: false, words: expect.stringMatching(/^https:\/\/clinic\.deskline\.test does not reach this PC: check that the tunnel is running/) },
      { name: 'Phone number', ok: true, words: 'Calls to +15550001234 come to this PC.' },
    ]);

    const back = await rig.handler<{ voiceUrl: string; connected: boolean }>('twilio/disconnect-number');
    expect(back).toMatchObject({ ok: true, value: { voiceUrl: 'https://demo.twilio.com/welcome/voice/', connected: false } });
    expect(rig.twilio.phoneNumbers.numbers.get(clinic.sid)).toMatchObject({ voiceUrl: 'https://demo.twilio.com/welcome/voice/', voiceMethod: 'GET', statusCallback: '', smsUrl: 'https://old.example.com/sms', voiceFallbackUrl: '' });
    expect(await rig.handler('twilio/disconnect-number')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'No number is connected to this PC.' } });
    expect(await rig.handler('twilio/connect-number', { sid: 'PN' + '0'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('with the PC off, a call to the number gets the fallback at Twilio: an apology, then the front desk, then a voicemail', async () => {
    const off = await startRig();
    try {
      const line = off.twilio.phoneNumbers.add('+15550004321', { friendlyName: 'Clinic' });
      await seedClinic(off);
      expect(await off.handler('twilio/connect-number', { sid: line.sid })).toMatchObject({ ok: true });
      await off.engine.stop();
      const call = await off.twilio.placeCall({ from: '+15035550999', to: '+15550004321' });
      expect(off.twilio.fallbackRuns.get(call.callSid)).toEqual([
        { widget: 'apology', type: 'say-play', detail: 'Thank you for calling Glow Med Spa. Our phone system is not answering right now; connecting you to the front desk.' },
        { widget: 'front_desk', type: 'connect-call-to', detail: TRANSFER_NUMBER },
        { widget: 'voicemail', type: 'record-voicemail', detail: 'recorded a voicemail' },
      ]);
      // The PC comes back: the voicemail left at Twilio is found, brought onto the PC, and in the Inbox.
      const back = await startEngineProcess(off.engineEnv, { dataDir: off.engine.dataDir });
      try {
        const inbox = async () => {
          const res = await fetch(`${back.staffUrl}/api/handlers/inbox%2Flist`, { method: 'POST', headers: { Authorization: `Bearer ${back.token}`, 'Content-Type': 'application/json' }, body: '{}' });
          return ((await res.json()) as { value: Array<{ kind: string; title: string; hasAudio?: boolean }> }).value;
        };
        let items: Array<{ kind: string; hasAudio?: boolean }> = [];
        for (let i = 0; i < 200 && !items.some((it) => it.kind === 'voicemail' && it.hasAudio); i++) {
          items = await inbox();
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(items.find((it) => it.kind === 'voicemail')).toMatchObject({ hasAudio: true });
        const db = new Database(join(back.dataDir, 'deskline.sqlite'), { readonly: true });
        expect(db.prepare('SELECT from_number, fallback FROM calls WHERE call_sid = ?').get(call.callSid)).toEqual({ from_number: '+15035550999', fallback: 'voicemail' });
        db.close();
        // Deleted at Twilio once on the PC (the default), so patients' voices do not stay there.
        expect(off.twilio.recordings.size).toBe(0);
      } finally {
        await back.stop();
      }
    } finally {
      await off.close();
    }
  });
});
