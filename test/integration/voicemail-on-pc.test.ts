import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speech } from '../sim/audio.js';
import { eventually, startRig, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';

/** 8 kHz μ-law speech in a WAV container, as Twilio serves a recording. */
function wav(audio: Buffer): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + audio.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // μ-law
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(audio.length, 40);
  return Buffer.concat([header, audio]);
}

/**
 * A voicemail through the simulators, from the caller's <Record> to the Inbox: downloaded with
 * the clinic's credentials into the data folder, deleted from Twilio, transcribed, and played
 * through the staff API with no Twilio login.
 */
describe('voicemail on the PC', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('is downloaded, deleted from Twilio, transcribed for the Inbox and played from the engine', async () => {
    // OpenAI refuses the session and nobody at the desk answers: the caller ends at the voicemail.
    rig.realtime.acceptConnections = false;
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'no-answer' });
    rig.realtime.transcriptions.queue('Hi, this is Dana Reyes, please call me back about my crown.');
    const call = await rig.twilio.placeCall({ from: '+15035554001', to: '+15550001234' });
    await call.waitFor((c) => c.reachedVoicemail, 10_000);
    const recording = wav(speech('hi this is dana please call me back'));
    const goodbye = await call.leaveVoicemail(recording, 9);
    expect(goodbye.status).toBe(200);

    const [vm] = await eventually(() => {
      const rows = rig.query<{ id: number; fetch_state: string; local_file: string | null; transcript: string | null; removed_from_twilio_at: number | null }>('SELECT * FROM voicemails');
      return rows[0]?.transcript ? rows : null;
    }, 10_000, 'the voicemail on the PC, transcribed');
    expect(vm).toMatchObject({ fetch_state: 'saved', transcript: 'Hi, this is Dana Reyes, please call me back about my crown.' });
    expect(vm!.local_file && existsSync(vm!.local_file) && readFileSync(vm!.local_file).equals(recording)).toBe(true);
    expect(vm!.local_file!.startsWith(rig.engine.dataDir)).toBe(true);
    // Gone from Twilio, downloaded with the account's credentials only.
    expect(rig.twilio.recordings.size).toBe(0);
    const fetches = rig.twilio.restRequests.filter((r) => r.path.includes('/Recordings/'));
    expect(fetches.map((r) => [r.method, r.authorized, r.status])).toEqual([['GET', true, 200], ['DELETE', true, 204]]);
    expect(rig.realtime.transcriptions.requests).toEqual([expect.objectContaining({ model: 'gpt-4o-mini-transcribe', bytes: recording.length })]);
    expect(rig.realtime.transcriptions.refusals).toEqual([]);

    const inbox = await rig.handler<Array<{ kind: string; id: number; detail: string; hasAudio?: boolean }>>('inbox/list', {});
    const item = inbox.ok ? inbox.value.find((i) => i.kind === 'voicemail') : undefined;
    expect(item).toMatchObject({ detail: '“Hi, this is Dana Reyes, please call me back about my crown.”', hasAudio: true });
    const audio = await rig.handler<{ mime: string; base64: string }>('voicemails/audio', { id: item!.id });
    expect(audio.ok && Buffer.from(audio.value.base64, 'base64').equals(recording)).toBe(true);
    // What the caller said stays out of the log.
    expect(rig.engine.output()).not.toContain('Dana Reyes');
  }, 60_000);

  it('a download Twilio refuses is tried again, and the recording stays at Twilio until it is on the PC', async () => {
    rig.realtime.acceptConnections = false;
    rig.twilio.phone(TRANSFER_NUMBER, { pickUp: 'no-answer' });
    const voicemailTo = async (from: string, words: string) => {
      const call = await rig.twilio.placeCall({ from, to: '+15550001234' });
      await call.waitFor((c) => c.reachedVoicemail, 10_000);
      const recording = wav(speech(words));
      return { call, recording };
    };
    const first = await voicemailTo('+15035554002', 'please call me back');
    rig.twilio.failNextRest(503);
    await first.call.leaveVoicemail(first.recording, 4);
    const row = () => rig.query<{ id: number; fetch_state: string; fetch_detail: string | null; fetch_attempts: number }>('SELECT * FROM voicemails WHERE call_id = (SELECT id FROM calls WHERE call_sid = ?)', first.call.callSid)[0];
    await eventually(() => row()?.fetch_attempts === 1, 10_000, 'the first try');
    expect(row()).toMatchObject({ fetch_state: 'pending', fetch_detail: 'Twilio answered 503 for the recording' });
    expect(rig.twilio.recordings.size).toBe(1);
    const inbox = await rig.handler<Array<{ kind: string; id: number; detail: string; hasAudio?: boolean }>>('inbox/list', {});
    expect(inbox.ok && inbox.value.find((i) => i.kind === 'voicemail' && i.id === row()!.id)).toMatchObject({ detail: 'Being fetched from Twilio…', hasAudio: false });

    // The next voicemail (or the next minute) brings both onto the PC.
    const second = await voicemailTo('+15035554003', 'hello again');
    await second.call.leaveVoicemail(second.recording, 3);
    await eventually(() => row()?.fetch_state === 'saved', 10_000, 'the retried download');
    await eventually(() => rig.twilio.recordings.size === 0, 5000, 'both deleted from Twilio');
  }, 60_000);
});
