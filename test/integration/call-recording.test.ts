import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BYTES_PER_MS, silence, speech } from '../sim/audio.js';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';

const LONG_GREETING =
  'Thank you for calling Sunrise Dental, the friendliest dental practice in town. Our hours are Monday to Friday from eight until six, ' +
  'and Saturdays from nine until one. We offer cleanings, fillings, whitening and emergency care. How can I help you today?';
const HEADER = 58;

/** The left (caller) and right (receptionist) channels of a stereo μ-law WAV's data. */
function channels(wav: Buffer): { left: Buffer; right: Buffer } {
  const data = wav.subarray(HEADER);
  const left = Buffer.alloc(data.length / 2);
  const right = Buffer.alloc(data.length / 2);
  for (let i = 0; i < left.length; i++) {
    left[i] = data[i * 2]!;
    right[i] = data[i * 2 + 1]!;
  }
  return { left, right };
}

describe('call recording (Settings → Recording)', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('records both sides to a stereo WAV of the call’s length, with the receptionist cut where the caller talked over it, and plays it through the staff API', async () => {
    const CALLER_WORDS = 'Sorry, can I book a cleaning?';
    rig = await startRig({ realtime: { script: { greeting: [{ say: LONG_GREETING }], turns: [{ user: CALLER_WORDS, replies: [{ say: 'Of course.' }] }] } } });
    rig.setSetting('recording', { enabled: true, includeInBackups: true });
    const call = await rig.twilio.placeCall({ from: '+15550201111', to: '+15550200000' });
    const session = await rig.realtime.waitForSession(0);
    await session.waitFor((s) => s.responses.length >= 1, 8000);
    // The greeting tells the caller; only the 'ask' mode offers a way to stop it.
    expect(JSON.stringify(session.responses[0]!.request)).toContain('This call is recorded for quality and training.');
    expect((session.config.tools as Array<{ name: string }>).map((t) => t.name)).not.toContain('stop_recording');

    await call.waitFor((c) => c.playedBytes >= 1000 * BYTES_PER_MS, 8000);
    const words = speech(CALLER_WORDS);
    call.say(Buffer.concat([words, silence(800)]));
    await call.waitFor((c) => c.clears.length === 1, 5000);
    await session.waitFor((s) => s.responses.length >= 2 && s.responses[1]!.doneAt !== undefined, 8000);
    const reply = session.responses[1]!;
    await call.waitFor((c) => c.playedBytes >= c.clears[0]!.playedBytesAtClear + reply.audio.length, 8000);
    // The caller says nothing more for a moment, then hangs up.
    await new Promise((r) => setTimeout(r, 500));
    await call.hangup();
    const [row] = await eventually(() => {
      const rows = rig!.query<{ call_id: number; file: string; duration_ms: number; finished_at: number | null }>('SELECT * FROM call_recordings');
      return rows[0]?.finished_at ? rows : null;
    }, 8000, 'the recording finished');

    const wav = readFileSync(row!.file);
    expect(dirname(row!.file)).toBe(join(dirname(rig.engine.dbPath), 'recordings'));
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt16LE(20)).toBe(7); // μ-law
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(54)).toBe(wav.length - HEADER);
    // As long as the caller's side of the stream (Twilio sends a frame every 20 ms), to a frame or two.
    const { left, right } = channels(wav);
    expect(Math.abs(left.length - call.stream.framesSent * 20 * BYTES_PER_MS)).toBeLessThanOrEqual(40 * BYTES_PER_MS);
    expect(row!.duration_ms).toBe(Math.round(left.length / 8));

    // The caller's words are on the left.
    expect(left.indexOf(words.subarray(0, 4000))).toBeGreaterThanOrEqual(0);
    // On the right: the greeting as far as the caller heard it, then nothing until the next reply,
    // then the reply whole. (Silence inside is not compared: a reply that reached Twilio late
    // leaves a gap, in the recording as on the line.)
    const greeting = session.responses[0]!.audio;
    const next = right.indexOf(reply.audio.subarray(0, 160));
    expect(next).toBeGreaterThan(0);
    const spoken = (audio: Buffer) => Buffer.from(audio.filter((b) => b !== 0xff));
    expect(spoken(right.subarray(next)).equals(spoken(reply.audio))).toBe(true);
    const beforeReply = spoken(right.subarray(0, next));
    const greetingSpoken = spoken(greeting);
    expect(beforeReply.length).toBeGreaterThan(0);
    expect(beforeReply.equals(greetingSpoken.subarray(0, beforeReply.length))).toBe(true);
    // How far into the greeting that is: where the caller's hearing stopped when they talked over it.
    let heard = 0;
    for (let kept = 0; kept < beforeReply.length; heard++) if (greeting[heard] !== 0xff) kept++;
    const clear = call.clears[0]!;
    expect(Math.abs(heard - clear.playedBytesAtClear)).toBeLessThan(250 * BYTES_PER_MS);
    expect(heard).toBeLessThan(greeting.length - 500 * BYTES_PER_MS);

    const detail = await rig.handler<{ recording: { durationMs: number; finished: boolean } | null }>('calls/get', { id: row!.call_id });
    expect(detail.ok && detail.value.recording).toEqual({ durationMs: row!.duration_ms, finished: true });
    const audio = await rig.handler<{ mime: string; base64: string }>('recordings/audio', { callId: row!.call_id });
    expect(audio.ok && audio.value.mime).toBe('audio/wav');
    expect(audio.ok && Buffer.from(audio.value.base64, 'base64').equals(wav)).toBe(true);

    // Settings say recordings go into backups: the next backup carries it.
    expect((await rig.handler('backups/run')).ok).toBe(true);
    expect(readFileSync(join(dirname(rig.engine.dbPath), 'backups', 'recordings', `${row!.call_id}.wav`)).equals(wav)).toBe(true);
  });

  it('“ask” mode: a caller who says no is not recorded, and nothing of the call so far is kept', async () => {
    rig = await startRig({
      realtime: {
        script: {
          greeting: [{ say: 'Thank you for calling Sunrise Dental. This call may be recorded.' }],
          turns: [
            { user: 'Please do not record me', replies: [{ call: 'stop_recording', arguments: {} }, { say: 'Of course, the recording is off.' }] },
            { user: 'Thanks, that is all', replies: [{ say: 'Goodbye!' }] },
          ],
        },
      },
    });
    rig.setSetting('recording', { enabled: true, consent: 'ask', consentLine: 'We record calls; tell me if you would rather we did not.' });
    const call = await rig.twilio.placeCall({ from: '+15550201112', to: '+15550200000' });
    const session = await rig.realtime.waitForSession(0);
    await session.waitFor((s) => s.responses.length >= 1, 8000);
    expect(JSON.stringify(session.responses[0]!.request)).toContain('We record calls; tell me if you would rather we did not.');
    expect((session.config.tools as Array<{ name: string }>).map((t) => t.name)).toContain('stop_recording');
    expect(String(session.config.instructions)).toContain('call stop_recording straight away');

    const [row] = await eventually(() => {
      const rows = rig!.query<{ call_id: number; file: string }>('SELECT * FROM call_recordings');
      return rows.length > 0 ? rows : null;
    }, 8000, 'recording started');
    await eventually(() => existsSync(row!.file), 5000, 'the recording file');
    await call.waitFor((c) => c.playedBytes >= 500 * BYTES_PER_MS, 8000);
    call.say(Buffer.concat([speech('Please do not record me'), silence(800)]));
    await eventually(() => rig!.query('SELECT * FROM tool_calls WHERE name = ? AND status = ?', 'stop_recording', 'ok').length === 1, 8000, 'stop_recording ran');
    await eventually(() => !existsSync(row!.file) && rig!.query('SELECT * FROM call_recordings').length === 0, 5000, 'the recording removed');
    call.say(Buffer.concat([speech('Thanks, that is all'), silence(800)]));
    await session.waitFor((s) => s.responses.length >= 4, 8000);
    await call.hangup();
    await eventually(() => rig!.query<{ status: string }>('SELECT status FROM calls')[0]?.status === 'completed', 5000, 'call ended');
    // Backups never carry it either (and this clinic does not put recordings in backups).
    expect((await rig.handler('backups/run')).ok).toBe(true);
    expect(existsSync(join(dirname(rig.engine.dbPath), 'backups', 'recordings'))).toBe(false);
    // Nothing comes back at the end of the call either.
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(row!.file)).toBe(false);
    expect(rig.query('SELECT * FROM call_recordings')).toEqual([]);
    const detail = await rig.handler<{ recording: unknown }>('calls/get', { id: row!.call_id });
    expect(detail.ok && detail.value.recording).toBeNull();
  });
});
