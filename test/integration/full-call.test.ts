import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silence, speech } from '../sim/audio.js';
import { AUTH_TOKEN, eventually, OPENAI_KEY, startRig, type Rig } from '../harness/call-rig.js';

const CALLER = '+15035550142';
const GREETING = 'Thank you for calling Sunrise Dental. How can I help you today?';
const QUESTION = 'What time do you open on Saturday?';
const ANSWER = 'We open at nine in the morning on Saturdays.';

describe('a whole call, from webhook to stored transcript', () => {
  let rig: Rig;
  let callId: number;
  let sessionConfig: any;
  let audioBeforeUpdate: number;

  beforeAll(async () => {
    rig = await startRig({
      realtime: { script: { greeting: [{ say: GREETING }], turns: [{ user: QUESTION, replies: [{ say: ANSWER }] }] } },
    });
    rig.setSetting('clinic.name', 'Sunrise Dental');
    const call = await rig.twilio.placeCall({ from: CALLER, to: '+15035550100' });
    const session = await rig.realtime.waitForSession(0);
    // The greeting reaches the caller before they say anything.
    await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 8000);
    await call.waitFor((c) => c.playedBytes > 0 && c.playedBytes >= session.outputBytes, 8000);
    call.say(Buffer.concat([speech(QUESTION), silence(900)]));
    await eventually(() => rig.query('SELECT * FROM transcript_lines').length >= 3, 15_000, 'three transcript lines');
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    await call.waitFor((c) => c.bufferedBytes === 0 && c.playedBytes >= session.outputBytes, 10_000);
    await call.hangup();
    await eventually(() => rig.query<{ status: string }>("SELECT status FROM calls WHERE status = 'completed'").length === 1, 5000, 'completed call');
    callId = rig.query<{ id: number }>('SELECT id FROM calls')[0]!.id;
    sessionConfig = session.config;
    audioBeforeUpdate = session.audioBeforeUpdate;
  }, 60_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('configures the Realtime session for μ-law both ways before any caller audio', () => {
    expect(audioBeforeUpdate).toBe(0);
    expect(sessionConfig).toMatchObject({
      type: 'realtime',
      audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' } } },
    });
    expect(sessionConfig.instructions).toContain('Sunrise Dental');
  });

  it('stores both sides of the conversation in order, with timestamps', () => {
    const lines = rig.query<{ speaker: string; text: string; spoken_at: number; interrupted: number }>(
      'SELECT speaker, text, spoken_at, interrupted FROM transcript_lines WHERE call_id = ? ORDER BY id',
      callId,
    );
    expect(lines.map((l) => [l.speaker, l.text])).toEqual([
      ['receptionist', GREETING],
      ['caller', QUESTION],
      ['receptionist', ANSWER],
    ]);
    for (const line of lines) expect(line.spoken_at).toBeGreaterThan(Date.now() - 120_000);
    expect(lines.map((l) => l.spoken_at)).toEqual([...lines.map((l) => l.spoken_at)].sort((a, b) => a - b));
    expect(lines.every((l) => l.interrupted === 0)).toBe(true);
  });

  it('records the call with its status and duration, and serves it over the staff API', async () => {
    const [row] = rig.query<{ status: string; duration_s: number; answered_at: number; ended_at: number }>('SELECT * FROM calls WHERE id = ?', callId);
    expect(row?.status).toBe('completed');
    expect(row?.duration_s).toBeGreaterThanOrEqual(2);
    expect(row?.answered_at).toBeLessThanOrEqual(row!.ended_at);
    const { status, body } = await rig.api<any>(`/api/calls/${callId}`);
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.value.fromMasked).toBe('••• 0142');
    expect(JSON.stringify(body)).not.toContain('5035550142');
    expect(body.value.transcript.map((l: any) => l.text)).toEqual([GREETING, QUESTION, ANSWER]);
  });

  it('streams call and transcript events to the staff UI', async () => {
    await eventually(() => rig.events.some((e) => e.event === 'call.ended'), 5000, 'call.ended event');
    const names = rig.events.map((e) => e.event);
    expect(names[0]).toBe('call.started');
    expect(names.filter((n) => n === 'transcript.line')).toHaveLength(3);
    // The stream's stop and Twilio's status callback both report the end: one event.
    expect(names.filter((n) => n === 'call.ended')).toHaveLength(1);
    expect(names).toContain('call.updated');
    const lines = rig.events.filter((e) => e.event === 'transcript.line').map((e) => e.payload.text);
    expect(lines).toEqual([GREETING, QUESTION, ANSWER]);
  });

  it('keeps phone numbers, transcript text and secrets out of the log', () => {
    const log = readFileSync(join(rig.engine.dataDir, 'logs', 'engine.log'), 'utf8') + rig.engine.output();
    expect(log).toContain('0142');
    expect(log).not.toContain('5035550142');
    expect(log).not.toContain(QUESTION);
    expect(log).not.toContain(ANSWER);
    expect(log).not.toContain(AUTH_TOKEN);
    expect(log).not.toContain(OPENAI_KEY);
  });
});
