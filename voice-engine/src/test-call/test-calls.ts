import { randomBytes } from 'node:crypto';
import type { CallerChannel } from '../api/registry.js';
import type { CallDeps } from '../call/call-deps.js';
import type { LiveCall } from '../call/live-call.js';
import type { LiveCalls } from '../call/live-calls.js';
import type { TestCallDiary } from '../contract.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { isFinalStatus, toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { MEDIA_FRAME_BYTES as FRAME_BYTES } from '../twilio/media-protocol.js';
import { BrowserLine } from './browser-line.js';
import { testCallExits } from './test-call-exits.js';

/** At most this much microphone audio per message (25 frames). */
const MAX_AUDIO_BYTES = 25 * FRAME_BYTES;
/** Test calls at once across every dashboard: they share the engine with the clinic's real calls. */
const MAX_TEST_CALLS = 3;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class TestCallError extends Error {
  constructor(readonly kind: 'refused' | 'not_found', message: string) {
    super(message);
  }
}

interface Running {
  live: LiveCall;
  line: BrowserLine;
  owner: CallerChannel;
  /** Microphone frames received: Twilio-style timestamps (ms since the stream started). */
  frames: number;
}

/**
 * "Talk to the receptionist": calls from a dashboard's microphone. Each is a real call record
 * (marked as a test, with the diary it books into) run by the same LiveCall as a phone call;
 * only its two ends differ: the dashboard's connection instead of Twilio's media stream, and
 * exits that say what would happen instead of moving a phone call (test-call-exits.ts).
 */
export class TestCalls {
  private readonly running = new Map<number, Running>();

  constructor(
    private readonly deps: { callDeps: CallDeps; liveCalls: LiveCalls; store: Store; events: EngineEvents; log: Logger },
  ) {}

  start(diary: TestCallDiary, channel: CallerChannel | undefined): { callId: number } {
    if (!channel) throw new TestCallError('refused', 'A test call needs the dashboard’s live connection; it cannot be made over plain HTTP.');
    if (diary !== 'real_diary' && diary !== 'sandbox') throw new TestCallError('refused', 'Choose the real diary or the sandbox.');
    if (!this.deps.callDeps.config.openai.apiKey) throw new TestCallError('refused', 'Enter the OpenAI API key first (Settings → OpenAI): the receptionist needs it to talk.');
    if ([...this.running.values()].some((r) => r.owner === channel)) throw new TestCallError('refused', 'This dashboard is already on a test call.');
    if (this.running.size >= MAX_TEST_CALLS) throw new TestCallError('refused', `${MAX_TEST_CALLS} test calls are already on the line; try again when one ends.`);
    const { store, events, liveCalls, callDeps } = this.deps;
    const now = Date.now();
    const { call } = store.calls.createIfAbsent({ callSid: `TC${randomBytes(16).toString('hex')}`, from: '', to: '', status: 'ringing', startedAt: now, testCall: diary });
    events.emit('call.started', toSummary(call));
    const line = new BrowserLine(call.id, channel, () => this.lineClosed(call.id));
    const live = liveCalls.beginTest(call, { ...callDeps, ...testCallExits(callDeps, store, (words) => line.end(words)) });
    this.running.set(call.id, { live, line, owner: channel, frames: 0 });
    live.attachMedia(line, { streamSid: `MZ${randomBytes(16).toString('hex')}`, callSid: call.callSid, accountSid: '', customParameters: {} });
    channel.onClose(() => this.hangUp(call.id, 'The dashboard closed.'));
    live.isEnded.then(
      () => this.settle(call.id),
      (err: Error) => this.deps.log.error(`Test call ${call.id}: ${err.message}`),
    );
    this.deps.log.info(`Test call ${call.id} started from the dashboard (${diary === 'sandbox' ? 'sandbox diary' : 'real diary'})`);
    return { callId: call.id };
  }

  /** Microphone audio: whole 20 ms frames, each handed to the call as Twilio would send it. */
  audio(callId: number, payload: string, channel: CallerChannel | undefined): void {
    const r = this.own(callId, channel);
    if (typeof payload !== 'string' || !BASE64.test(payload)) throw new TestCallError('refused', 'payload must be base64 μ-law audio');
    const bytes = Buffer.from(payload, 'base64');
    if (bytes.length === 0 || bytes.length % FRAME_BYTES !== 0 || bytes.length > MAX_AUDIO_BYTES) {
      throw new TestCallError('refused', `payload must be whole 20 ms frames (${FRAME_BYTES} bytes each), at most ${MAX_AUDIO_BYTES} bytes`);
    }
    for (let at = 0; at < bytes.length; at += FRAME_BYTES) {
      r.live.handleTwilio({ event: 'media', payload: bytes.subarray(at, at + FRAME_BYTES).toString('base64'), track: 'inbound', timestamp: r.frames * 20 });
      r.frames++;
    }
  }

  mark(callId: number, name: string, channel: CallerChannel | undefined): void {
    const r = this.own(callId, channel);
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) throw new TestCallError('refused', 'name must be the mark’s name');
    r.live.handleTwilio({ event: 'mark', name });
  }

  end(callId: number, channel: CallerChannel | undefined): void {
    this.own(callId, channel);
    this.hangUp(callId, 'You hung up.');
  }

  isTest(callSid: string): boolean {
    return [...this.running.values()].some((r) => r.live.callSid === callSid);
  }

  /** Staff ended it from Live calls. */
  hangUpBySid(callSid: string): void {
    for (const [id, r] of this.running) if (r.live.callSid === callSid) this.hangUp(id, 'Staff ended the call from Live calls.');
  }

  /** The caller's side hung up: the stream stops, as Twilio's does. */
  private hangUp(callId: number, words: string): void {
    const r = this.running.get(callId);
    if (!r) return;
    r.live.handleTwilio({ event: 'stop' });
    r.line.end(words);
  }

  private lineClosed(callId: number): void {
    this.running.get(callId)?.live.mediaClosed();
  }

  /**
   * The call is over for the engine. A phone call's final status comes from Twilio's status
   * callback; a test call has none, so it is completed here however it ended.
   */
  private settle(callId: number): void {
    const r = this.running.get(callId);
    this.running.delete(callId);
    const { store, events } = this.deps;
    const call = store.calls.get(callId);
    if (call && !isFinalStatus(call.status)) {
      const now = Date.now();
      const done = store.calls.updateStatus(call.callSid, 'completed', now, Math.round((now - call.startedAt) / 1000));
      if (done) events.emit('call.ended', toSummary(done));
    }
    r?.line.end('The call ended.');
  }

  private own(callId: number, channel: CallerChannel | undefined): Running {
    const r = this.running.get(Number(callId));
    // Another dashboard's test call is as good as absent: nobody may speak into it.
    if (!r || r.owner !== channel) throw new TestCallError('not_found', 'That test call has ended.');
    return r;
  }
}
