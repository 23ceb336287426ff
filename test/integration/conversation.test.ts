import { afterEach, describe, expect, it } from 'vitest';
import { BYTES_PER_MS, FRAME_BYTES, silence, speech } from '../sim/audio.js';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import type { Turn } from '../sim/realtime/script.js';

const LONG_GREETING =
  'Thank you for calling Sunrise Dental, the friendliest dental practice in town. Our hours are Monday to Friday from eight until six, ' +
  'and Saturdays from nine until one. We offer cleanings, fillings, whitening and emergency care. How can I help you today?';

/**
 * Numbered frames too quiet for voice detection (μ-law 0xF0-0xFE is under 120 of 32767):
 * frame n carries n in the low nibbles of its first three bytes, so every frame can be told apart.
 */
function numberedFrames(first: number, count: number): Buffer {
  const audio = Buffer.alloc(count * FRAME_BYTES, 0xfe);
  for (let i = 0; i < count; i++) for (let k = 0; k < 3; k++) audio[i * FRAME_BYTES + k] = 0xf0 | (((first + i) >> (4 * k)) & 0xf);
  return audio;
}

/** The frame numbers in a stretch of caller audio; null for a frame that carries none. */
function frameNumbers(audio: Buffer): Array<number | null> {
  const out: Array<number | null> = [];
  for (let at = 0; at + FRAME_BYTES <= audio.length; at += FRAME_BYTES) {
    const numbered = audio[at + 3] === 0xfe;
    out.push(numbered ? (audio[at]! & 0xf) | ((audio[at + 1]! & 0xf) << 4) | ((audio[at + 2]! & 0xf) << 8) : null);
  }
  return out;
}

/** A call whose Realtime sessions are replaced every 2 s: the first greets, each later one answers `turn`. */
const rolloverRig = (turn: Turn) =>
  startRig({
    engineEnv: { DESKLINE_REALTIME_SESSION_LIMIT_S: '2' },
    realtime: { script: (index) => (index === 0 ? { greeting: [{ say: 'Hello, Sunrise Dental.' }] } : { turns: [turn] }) },
  });

describe('conversation behaviour', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('barge-in: the caller talks over the receptionist, Twilio is cleared and the model is told exactly what was heard', async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: LONG_GREETING }], turns: [{ user: 'Sorry, can I book a cleaning?', replies: [{ say: 'Of course.' }] }] } } });
    const call = await rig.twilio.placeCall({ from: '+15550201111', to: '+15550200000' });
    const session = await rig.realtime.waitForSession(0);
    await call.waitFor((c) => c.playedBytes >= 1000 * BYTES_PER_MS, 8000);
    call.say(Buffer.concat([speech('Sorry, can I book a cleaning?'), silence(800)]));
    await call.waitFor((c) => c.clears.length === 1, 5000);
    await session.waitFor((s) => s.truncates.length === 1, 2000);

    const clear = call.clears[0]!;
    const truncate = session.truncates[0]!;
    const greeting = session.responses[0]!;
    expect(truncate.item_id).toBe(greeting.itemId);
    expect(truncate.accepted).toBe(true);
    const heardMs = clear.playedBytesAtClear / BYTES_PER_MS;
    // Marks confirm playback now and then and Twilio plays in real time between them, so the
    // engine adds the time since the last echo. How close it gets is a bench figure (p50 within
    // 20 ms at every load); here, under a busy test run, it must be the audio heard, not a
    // chunk either side of it.
    expect(Math.abs(truncate.audio_end_ms - heardMs)).toBeLessThan(100);
    expect(truncate.audio_end_ms).toBeLessThan(greeting.audio.length / BYTES_PER_MS - 500);
    // Nothing of the abandoned greeting plays after the clear.
    expect(clear.discardedBytes + clear.playedBytesAtClear).toBeLessThanOrEqual(greeting.audio.length);

    await eventually(() => rig!.query('SELECT * FROM transcript_lines').length >= 3, 8000, 'three lines');
    const lines = rig.query<{ speaker: string; text: string; interrupted: number }>('SELECT speaker, text, interrupted FROM transcript_lines ORDER BY id');
    expect(lines[0]).toMatchObject({ speaker: 'receptionist', interrupted: 1 });
    expect(lines[1]).toMatchObject({ speaker: 'caller', text: 'Sorry, can I book a cleaning?', interrupted: 0 });
    expect(lines[2]).toMatchObject({ speaker: 'receptionist', text: 'Of course.', interrupted: 0 });
  });

  it('dispatches the model’s function calls, records arguments and results, and lets the model speak from the result', async () => {
    rig = await startRig({
      realtime: {
        script: {
          greeting: [{ say: 'Hello, Sunrise Dental.' }],
          turns: [{ user: 'Are you open on Sunday?', replies: [{ call: 'check_availability', arguments: { service: 'Tattoo removal', date: '2031-01-05' } }, { say: 'Let me take a message for the team.' }] }],
        },
      },
    });
    const call = await rig.twilio.placeCall({ from: '+15550202222', to: '+15550200000' });
    const session = await rig.realtime.waitForSession(0);
    await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 5000);
    await call.waitFor((c) => c.playedBytes >= session.outputBytes, 5000);
    call.say(Buffer.concat([speech('Are you open on Sunday?'), silence(800)]));
    await session.waitFor((s) => s.functionOutputs.length === 1, 8000);
    await eventually(() => rig!.query("SELECT * FROM transcript_lines WHERE text LIKE 'Let me take%'").length === 1, 8000, 'reply after tool');

    const toolCall = session.responses.find((r) => r.kind === 'function_call')!;
    const output = session.functionOutputs[0]!;
    expect(output.call_id).toBe(toolCall.callId);
    expect(JSON.parse(output.output)).toMatchObject({ done: false, say: expect.stringContaining("We don't offer that") });
    const rows = rig.query<{ name: string; arguments: string; result: string; status: string; model_call_id: string; finished_at: number }>('SELECT * FROM tool_calls');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'check_availability', status: 'ok', model_call_id: toolCall.callId });
    expect(JSON.parse(rows[0]!.arguments)).toEqual({ service: 'Tattoo removal', date: '2031-01-05' });
    expect(JSON.parse(rows[0]!.result)).toMatchObject({ done: false });
    expect(rows[0]!.finished_at).toBeGreaterThan(0);
    const toolEvents = rig.events.filter((e) => e.event === 'tool.called').map((e) => e.payload.status);
    expect(toolEvents).toEqual(['running', 'ok']);
    const detail = await rig.api<any>(`/api/calls/${rig.query<{ id: number }>('SELECT id FROM calls')[0]!.id}`);
    expect(detail.body.value.toolCalls[0]).toMatchObject({ name: 'check_availability', arguments: { service: 'Tattoo removal', date: '2031-01-05' }, status: 'ok' });
  });

  it('moves a long call to a fresh Realtime session before the cap, carrying the conversation, without a second greeting', async () => {
    rig = await rolloverRig({ user: 'Do you take new patients?', replies: [{ say: 'Yes, we welcome new patients.' }] });
    const call = await rig.twilio.placeCall({ from: '+15550203333', to: '+15550200000' });
    const first = await rig.realtime.waitForSession(0);
    // The caller's line carries numbered near-silent frames across the swap (4 s; the swap comes after 2).
    call.say(numberedFrames(1, 200));
    const second = await rig.realtime.waitForSession(1, 5000);
    await first.closed;
    // The fresh session first hears the last 300 ms the old one heard (a word begun at the
    // swap is not clipped), then the caller's next frame: nothing lost, nothing heard twice.
    const heardBefore = frameNumbers(first.inputAudioBuffer());
    const lastBefore = heardBefore.at(-1);
    expect(lastBefore, 'the swap came while numbered frames were on the line').toBeTypeOf('number');
    await second.waitFor((s) => s.inputAudioBuffer().length >= 16 * FRAME_BYTES, 2000);
    const heardAfter = frameNumbers(second.inputAudioBuffer()).slice(0, 16);
    expect(heardAfter).toEqual([...heardBefore.slice(-15), lastBefore! + 1]);
    expect(second.config.instructions).toMatch(/already in progress/);
    // The conversation so far arrives as conversation items (data), never inside the instructions.
    expect(second.config.instructions).not.toContain('Hello, Sunrise Dental.');
    const carried = second.received.filter((r) => r.event.type === 'conversation.item.create' && r.event.item.type === 'message');
    expect(carried.map((r) => [r.event.item.role, r.event.item.content[0].text])).toEqual([['assistant', 'Hello, Sunrise Dental.']]);
    call.say(Buffer.concat([speech('Do you take new patients?'), silence(800)]));
    await eventually(() => rig!.query("SELECT * FROM transcript_lines WHERE text = 'Yes, we welcome new patients.'").length === 1, 10_000, 'reply from a later session');
    const later = rig.realtime.sessions.slice(1);
    for (const s of later) expect(s.responses.filter((r) => r.text.includes('Hello, Sunrise Dental'))).toEqual([]);
    // No session is leaked: all but the current one and a possibly pending successor are closed.
    expect(rig.realtime.sessions.slice(0, -2).every((s) => s.closedAt !== undefined)).toBe(true);
    expect(call.redirects).toEqual([]);
    const lines = rig.query<{ text: string }>('SELECT text FROM transcript_lines ORDER BY id').map((l) => l.text);
    expect(lines).toEqual(['Hello, Sunrise Dental.', 'Do you take new patients?', 'Yes, we welcome new patients.']);
  });

  it('a fresh session ready while the caller waits for a reply does not take the call until that reply is spoken', async () => {
    // OpenAI takes a while to start a reply; the fresh session (opened every 2 s here) is ready in that gap.
    rig = await rolloverRig({ user: 'Hello?', replies: [{ say: 'Yes, how can I help?' }], respondAfterMs: 2000 });
    const call = await rig.twilio.placeCall({ from: '+15550204444', to: '+15550200000' });
    const first = await rig.realtime.waitForSession(0);
    const heard = await rig.realtime.waitForSession(1, 5000);
    await first.closed;
    call.say(Buffer.concat([speech('Hello?'), silence(800)]));
    await heard.waitFor((s) => s.utterances.length === 1, 5000);
    const fresh = await rig.realtime.waitForSession(2, 5000);
    await eventually(() => rig!.query("SELECT * FROM transcript_lines WHERE text = 'Yes, how can I help?'").length === 1, 8000, 'the reply');
    // The session the caller spoke to answered, and was let go only once its reply was done.
    expect(heard.responses.map((r) => r.text)).toEqual(['Yes, how can I help?']);
    const replyDone = heard.sent.find((e) => e.type === 'response.done')!.at;
    await heard.closed;
    expect(heard.closedAt!).toBeGreaterThanOrEqual(replyDone);
    expect(fresh.utterances).toEqual([]);
    const lines = rig.query<{ text: string }>('SELECT text FROM transcript_lines ORDER BY id').map((l) => l.text);
    expect(lines).toEqual(['Hello, Sunrise Dental.', 'Hello?', 'Yes, how can I help?']);
  });
});
