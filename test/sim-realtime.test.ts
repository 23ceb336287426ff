import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_BYTES, silence, speech } from './sim/audio.js';
import { RealtimeSim, type RealtimeSimOptions, type Script } from './sim/realtime/index.js';
import { ensureTestTls } from './sim/tls.js';

/**
 * Drives the Realtime simulator with the real SDK client, the way the engine
 * does, so the simulator is known to speak what OpenAIRealtimeWS expects.
 */

const API_KEY = 'sk-test-realtime-sim';
const tls = ensureTestTls();
// NODE_EXTRA_CA_CERTS only applies at process start; the engine uses it, this self-test passes the CA directly.
const ca = readFileSync(tls.caCertPath);
const UTTERANCE = Buffer.concat([speech('I would like to book a cleaning'), silence(800)]);
const LONG_GREETING = 'Thank you for calling Bright Smile Dental, this is the front desk, we are open from eight to six on weekdays and nine to one on Saturdays, how can I help you today?';

type AnyEvent = { type: string; [key: string]: any };

class Client {
  readonly events: AnyEvent[] = [];
  readonly errors: Error[] = [];
  closeCode: number | undefined;
  readonly opened: Promise<void>;

  constructor(readonly rt: OpenAIRealtimeWS) {
    rt.on('event', (e) => this.events.push(e as AnyEvent));
    rt.on('error', (e) => this.errors.push(e));
    rt.socket.on('close', (code) => (this.closeCode = code));
    this.opened = new Promise((resolve, reject) => {
      rt.socket.once('open', () => resolve());
      rt.socket.once('error', reject);
    });
  }

  of(type: string): AnyEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  async until<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out; saw ${this.events.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  event(type: string, pred: (e: AnyEvent) => boolean = () => true, timeoutMs?: number): Promise<AnyEvent> {
    return this.until(() => this.events.find((e) => e.type === type && pred(e)), timeoutMs);
  }

  /** Twilio-sized frames, as the engine forwards them. */
  appendAudio(audio: Buffer): void {
    for (let i = 0; i < audio.length; i += FRAME_BYTES) {
      this.rt.send({ type: 'input_audio_buffer.append', audio: audio.subarray(i, i + FRAME_BYTES).toString('base64') });
    }
  }

  configure(transcription = true): void {
    this.rt.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'You are the front desk.',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            ...(transcription ? { transcription: { model: 'gpt-4o-mini-transcribe' } } : {}),
            turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
        },
        tools: [BOOK_TOOL],
      },
    });
  }
}

const BOOK_TOOL = {
  type: 'function',
  name: 'book_appointment',
  description: 'Books a day.',
  parameters: { type: 'object', properties: { day: { type: 'string' } }, required: ['day'] },
} as const;

let sims: RealtimeSim[] = [];
let clients: Client[] = [];

afterEach(async () => {
  for (const c of clients) c.rt.socket.terminate();
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
  clients = [];
});

async function startSim(opts: Partial<RealtimeSimOptions> = {}): Promise<RealtimeSim> {
  const sim = await RealtimeSim.start({ apiKey: API_KEY, tls, ...opts });
  sims.push(sim);
  return sim;
}

function dial(sim: RealtimeSim, apiKey = API_KEY): Client {
  const client = new OpenAI({ apiKey, baseURL: sim.baseUrl });
  const c = new Client(new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca } }, client));
  clients.push(c);
  return c;
}

async function dialConfigured(sim: RealtimeSim, transcription = true): Promise<Client> {
  const c = dial(sim);
  await c.opened;
  c.configure(transcription);
  await c.event('session.updated');
  return c;
}

describe('realtime sim: connection', () => {
  it('refuses a wrong API key with 401 and a closed door with 503', async () => {
    const sim = await startSim();
    const wrong = dial(sim, 'sk-wrong');
    await expect(wrong.opened).rejects.toThrow(/401/);
    sim.acceptConnections = false;
    const refused = dial(sim);
    await expect(refused.opened).rejects.toThrow(/503/);
    expect(sim.sessions).toHaveLength(0);
  });

  it('builds the wss URL the SDK dials and records model and auth', async () => {
    const sim = await startSim();
    const c = dial(sim);
    expect(c.rt.url.toString()).toBe(`wss://127.0.0.1:${sim.port}/v1/realtime?model=gpt-realtime`);
    await c.opened;
    const created = await c.event('session.created');
    expect(created.session).toMatchObject({ type: 'realtime', object: 'realtime.session', model: 'gpt-realtime' });
    expect(created.session.id).toMatch(/^sess_/);
    const s = await sim.waitForSession(0);
    expect(s.model).toBe('gpt-realtime');
    expect(s.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('answers session.update with session.updated and rejects non-μ-law audio', async () => {
    const sim = await startSim();
    const c = await dialConfigured(sim);
    const updated = c.of('session.updated')[0]!;
    expect(updated.session.audio.input.format.type).toBe('audio/pcmu');
    expect(updated.session.audio.output.voice).toBe('marin');
    const s = sim.sessions[0]!;
    expect(s.updates).toHaveLength(1);
    expect(s.audioBeforeUpdate).toBe(0);
    c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } } });
    const err = await c.event('error');
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_value', param: null, event_id: null });
    expect(s.updates).toHaveLength(1);
    c.rt.socket.send(JSON.stringify({ type: 'bogus.event' }));
    await c.event('error', (e) => e.error.code === 'unknown_event');
  });
});

describe('realtime sim: responses', () => {
  it('plays the greeting as paced audio deltas, then response.done', async () => {
    const greeting = 'Thanks for calling Bright Smile Dental, how can I help?';
    const sim = await startSim({ script: { greeting: [{ say: greeting }] } });
    const c = await dialConfigured(sim);
    c.rt.send({ type: 'response.create' });
    const done = await c.event('response.done');
    expect(done.response.status).toBe('completed');
    const deltas = c.of('response.output_audio.delta');
    const bytes = deltas.reduce((n, d) => n + Buffer.from(d.delta, 'base64').length, 0);
    expect(bytes).toBe(10 * 60 * 8); // 10 words at 60 ms
    expect(deltas).toHaveLength(Math.ceil(bytes / 320));
    const r = sim.sessions[0]!.responses[0]!;
    expect(r).toMatchObject({ text: greeting, bytesSent: bytes, cancelled: false });
    // Realtime pacing: n deltas span about (n - 1) × 40 ms.
    expect(r.doneAt! - r.firstDeltaAt!).toBeGreaterThan((deltas.length - 2) * 40);
    expect(c.of('response.output_audio_transcript.done')[0]!.transcript).toBe(greeting);
    expect(c.of('response.output_audio_transcript.delta').map((d) => d.delta).join('')).toBe(greeting);
    const order = c.events.map((e) => e.type).filter((t) => t.startsWith('response.') && !t.endsWith('.delta'));
    expect(order).toEqual([
      'response.created', 'response.output_item.added', 'response.content_part.added', 'response.output_audio.done',
      'response.output_audio_transcript.done', 'response.content_part.done', 'response.output_item.done', 'response.done',
    ]);
  });

  it('keeps only the type and time of each event when told not to keep bodies (the bench), and still plays the same', async () => {
    const greeting = 'Thanks for calling Bright Smile Dental, how can I help?';
    const sim = await startSim({ script: { greeting: [{ say: greeting }] }, recordEventBodies: false });
    const c = await dialConfigured(sim);
    c.rt.send({ type: 'response.create' });
    expect((await c.event('response.done')).response.status).toBe('completed');
    const session = sim.sessions[0]!;
    expect(session.received.map((r) => r.event)).toEqual([{ type: 'session.update' }, { type: 'response.create' }]);
    expect(session.sent.map((e) => e.type)).toContain('response.done');
    expect(session.sent.every((e) => e.event === undefined && typeof e.at === 'number')).toBe(true);
    // What the bench reads is kept: the response record, and the config the session.update set.
    expect(session.responses[0]).toMatchObject({ text: greeting, cancelled: false });
    expect(session.config.instructions).toBe('You are the front desk.');
  });

  it('turns caller speech into VAD events, a transcript and the scripted reply', async () => {
    const sim = await startSim({ script: { turns: [{ user: 'I would like to book a cleaning', replies: [{ say: 'Sure, what day works?' }] }] } });
    const c = await dialConfigured(sim);
    c.appendAudio(UTTERANCE);
    const started = await c.event('input_audio_buffer.speech_started');
    const stopped = await c.event('input_audio_buffer.speech_stopped');
    expect(stopped.item_id).toBe(started.item_id);
    expect(started.audio_start_ms).toBeLessThan(100);
    expect(stopped.audio_end_ms).toBeGreaterThan(1500);
    expect(stopped.audio_end_ms).toBeLessThanOrEqual(UTTERANCE.length / 8);
    await c.event('input_audio_buffer.committed', (e) => e.item_id === started.item_id);
    const heard = await c.event('conversation.item.input_audio_transcription.completed');
    expect(heard).toMatchObject({ item_id: started.item_id, content_index: 0, transcript: 'I would like to book a cleaning' });
    const said = await c.event('response.output_audio_transcript.done');
    expect(said.transcript).toBe('Sure, what day works?');
    const s = sim.sessions[0]!;
    expect(s.inputBytes).toBe(UTTERANCE.length);
    expect(s.received.filter((r) => r.event.type === 'input_audio_buffer.append')).toHaveLength(Math.ceil(UTTERANCE.length / FRAME_BYTES));
    expect(s.inputAudioBuffer().equals(UTTERANCE)).toBe(true);
  });

  it('sends no transcription event when transcription is off', async () => {
    const sim = await startSim({ script: { turns: [{ user: 'hello', replies: [{ say: 'Hi.' }] }] } });
    const c = await dialConfigured(sim, false);
    c.appendAudio(UTTERANCE);
    await c.event('response.done');
    expect(c.of('conversation.item.input_audio_transcription.completed')).toHaveLength(0);
  });

  it('cancels a response the caller talks over', async () => {
    const sim = await startSim({ script: { greeting: [{ say: LONG_GREETING }] } });
    const c = await dialConfigured(sim);
    c.rt.send({ type: 'response.create' });
    const first = await c.event('response.output_audio.delta');
    c.appendAudio(UTTERANCE);
    const done = await c.event('response.done', (e) => e.response.id === first.response_id);
    expect(done.response.status).toBe('cancelled');
    expect(done.response.status_details).toMatchObject({ type: 'cancelled', reason: 'turn_detected' });
    expect(done.response.output[0].status).toBe('incomplete');
    const types = c.events.map((e) => e.type);
    expect(types.indexOf('input_audio_buffer.speech_started')).toBeLessThan(types.indexOf('response.done'));
    const r = sim.sessions[0]!.responses[0]!;
    expect(r.cancelled).toBe(true);
    expect(r.bytesSent).toBeLessThan(r.audio.length);
    const deltasAfter = c.events.slice(types.indexOf('response.done')).filter((e) => e.type === 'response.output_audio.delta' && e.response_id === first.response_id);
    expect(deltasAfter).toHaveLength(0);
    // The caller's utterance still gets its (filler) reply once they stop.
    await c.event('response.done', (e) => e.response.id !== first.response_id && e.response.status === 'completed');
  });

  it('round-trips a function call, then plays the rest of the turn', async () => {
    const sim = await startSim({
      script: { turns: [{ user: 'book me in', replies: [{ call: 'book_appointment', arguments: { day: 'tuesday' } }, { say: 'You are booked for Tuesday.' }] }] },
    });
    const c = await dialConfigured(sim);
    c.appendAudio(UTTERANCE);
    const call = await c.event('response.function_call_arguments.done');
    expect(call).toMatchObject({ name: 'book_appointment', arguments: '{"day":"tuesday"}' });
    const done = await c.event('response.done');
    expect(done.response.output[0]).toMatchObject({ type: 'function_call', call_id: call.call_id, status: 'completed' });
    c.rt.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: call.call_id, output: '{"ok":true}' } });
    c.rt.send({ type: 'response.create' });
    const said = await c.event('response.output_audio_transcript.done');
    expect(said.transcript).toBe('You are booked for Tuesday.');
    expect(sim.sessions[0]!.functionOutputs).toMatchObject([{ call_id: call.call_id, output: '{"ok":true}' }]);
  });

  it('sends speech followed by a function call as one response with two output items, as the model does', async () => {
    const sim = await startSim({
      script: { turns: [{ user: 'book me in', replies: [{ say: 'Let me book that.' }, { call: 'book_appointment', arguments: { day: 'tuesday' } }] }] },
    });
    const c = await dialConfigured(sim);
    c.appendAudio(UTTERANCE);
    const call = await c.event('response.function_call_arguments.done');
    const done = await c.event('response.done');
    expect(call.response_id).toBe(done.response.id);
    expect(done.response.output.map((o: { type: string }) => o.type)).toEqual(['message', 'function_call']);
    const spoken = c.events.filter((e) => e.type === 'response.output_audio.delta');
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.every((e) => e.response_id === done.response.id)).toBe(true);
    expect(c.events.filter((e) => e.type === 'response.created')).toHaveLength(1);
  });

  it('refuses a scripted call to a tool the session never declared, or with arguments its schema does not allow', async () => {
    const sim = await startSim({
      script: {
        turns: [
          { user: 'one', replies: [{ call: 'cancel_everything', arguments: {} }] },
          { user: 'two', replies: [{ call: 'book_appointment', arguments: { day: 3 } }] },
        ],
      },
    });
    const c = await dialConfigured(sim);
    c.appendAudio(UTTERANCE);
    const first = await c.event('error');
    expect(first.error.message).toMatch(/did not declare/);
    c.appendAudio(UTTERANCE);
    await c.event('error', (e) => /not of type string/.test(e.error.message));
    expect(sim.sessions[0]!.refusals.map((e) => e.code)).toEqual(['tool_not_callable', 'tool_not_callable']);
    expect(sim.sessions[0]!.responses.filter((r) => r.kind === 'function_call')).toEqual([]);
  });

  it('refuses a session.update with an unknown voice or a tool schema the API would reject', async () => {
    const sim = await startSim();
    const c = dial(sim);
    await c.opened;
    c.rt.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' }, voice: 'marinn' } } } });
    expect((await c.event('error')).error.param).toBe('session.audio.output.voice');
    c.rt.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' }, voice: 'marin' } },
        tools: [{ type: 'function', name: 'book', parameters: { type: 'object', properties: {}, required: ['day'] } }],
      },
    });
    await c.event('error', (e) => e.error.code === 'invalid_function_parameters');
    expect(sim.sessions[0]!.updates).toEqual([]);
    expect(sim.sessions[0]!.refusals).toHaveLength(2);
  });

  it('fails a reply on request (quota, server error) with the GA response.done status_details', async () => {
    const sim = await startSim({ script: { turns: [{ user: 'hi', replies: [{ fail: { status: 'failed', type: 'insufficient_quota', code: 'insufficient_quota' } }] }] } });
    const c = await dialConfigured(sim);
    c.appendAudio(UTTERANCE);
    const done = await c.event('response.done');
    expect(done.response).toMatchObject({ status: 'failed', status_details: { type: 'failed', error: { type: 'insufficient_quota', code: 'insufficient_quota' } } });
    expect(sim.sessions[0]!.refusals).toEqual([]);
  });

  it('records truncates and rejects one past the audio sent', async () => {
    const sim = await startSim({ pace: 'burst', script: { greeting: [{ say: 'Hello there caller' }] } });
    const c = await dialConfigured(sim);
    c.rt.send({ type: 'response.create' });
    const done = await c.event('response.done');
    const itemId = done.response.output[0].id as string;
    c.rt.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 100 });
    await c.event('conversation.item.truncated', (e) => e.audio_end_ms === 100 && e.item_id === itemId);
    c.rt.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 5000 });
    await c.event('error', (e) => /shorter than 5000ms/.test(e.error.message));
    expect(sim.sessions[0]!.truncates).toMatchObject([
      { item_id: itemId, audio_end_ms: 100, accepted: true },
      { item_id: itemId, audio_end_ms: 5000, accepted: false },
    ]);
  });

  it('echoes the caller and keeps each session\'s voice its own', async () => {
    const sim = await startSim({
      pace: 'burst',
      script: { greeting: [{ say: 'Hello there caller' }], turns: [{ user: 'echo', replies: [{ echo: true }] }] },
    });
    const [a, b] = [await dialConfigured(sim), await dialConfigured(sim)];
    for (const c of [a!, b!]) c.rt.send({ type: 'response.create' });
    const audioOf = (c: Client) => Buffer.concat(c.of('response.output_audio.delta').map((d) => Buffer.from(d.delta, 'base64')));
    await a!.event('response.done');
    await b!.event('response.done');
    const frameA = audioOf(a!).subarray(FRAME_BYTES, 2 * FRAME_BYTES);
    const frameB = audioOf(b!).subarray(FRAME_BYTES, 2 * FRAME_BYTES);
    expect(sim.sessionOfAudio(frameA)).toBe(sim.sessions[0]);
    expect(sim.sessionOfAudio(frameB)).toBe(sim.sessions[1]);
    a!.appendAudio(UTTERANCE);
    const stopped = await a!.event('input_audio_buffer.speech_stopped');
    const started = a!.of('input_audio_buffer.speech_started')[0]!;
    await a!.until(() => a!.of('response.done').length === 2);
    const echoed = audioOf(a!).subarray(audioOf(a!).length - (stopped.audio_end_ms - started.audio_start_ms) * 8);
    expect(echoed.equals(UTTERANCE.subarray(started.audio_start_ms * 8, stopped.audio_end_ms * 8))).toBe(true);
  });
});

describe('realtime sim: failures', () => {
  it('drops the socket abruptly when the script says so, and on dropAll', async () => {
    const script: Script = { greeting: [{ say: 'Hello' }, { drop: true }] };
    const sim = await startSim({ pace: 'burst', script });
    const c = await dialConfigured(sim);
    c.rt.send({ type: 'response.create' });
    await c.until(() => c.closeCode);
    expect(c.closeCode).toBe(1006);
    await sim.sessions[0]!.closed;
    const d = await dialConfigured(sim);
    sim.dropAll();
    await d.until(() => d.closeCode);
    expect(d.closeCode).toBe(1006);
  });

  it('expires a session at maxSessionMs with session_expired and a 1000 close', async () => {
    const sim = await startSim({ maxSessionMs: 300 });
    const c = dial(sim);
    await c.opened;
    const err = await c.event('error');
    expect(err.error.code).toBe('session_expired');
    expect(c.errors[0]?.message).toMatch(/session_expired/);
    await c.until(() => c.closeCode);
    expect(c.closeCode).toBe(1000);
    const s = sim.sessions[0]!;
    expect(s.closedAt! - s.connectedAt).toBeGreaterThanOrEqual(290);
  });

  it('queues scripts for the next connections ahead of the default', async () => {
    const sim = await startSim({ pace: 'burst', script: (i) => ({ greeting: [{ say: `default ${i}` }] }) });
    sim.queueScript({ greeting: [{ say: 'queued one' }] });
    const first = await dialConfigured(sim);
    const second = await dialConfigured(sim);
    for (const c of [first, second]) c.rt.send({ type: 'response.create' });
    expect((await first.event('response.output_audio_transcript.done')).transcript).toBe('queued one');
    expect((await second.event('response.output_audio_transcript.done')).transcript).toBe('default 1');
  });
});
