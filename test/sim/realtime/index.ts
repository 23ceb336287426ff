import { ensureTestTls, type TestTls } from '../tls.js';
import type { Script, ScriptSource } from './script.js';
import type { WebSocket } from 'ws';
import { startRealtimeServer, type RealtimeServer } from './server.js';
import { SimSession, type ConnectInfo, type SessionContext } from './session.js';
import { Waiters } from './waiters.js';
import { ResponsesSim } from './responses.js';
import { TranscriptionsSim } from './transcriptions.js';
export type { ResponseStep, ResponsesRequest } from './responses.js';

/**
 * A stand-in for the OpenAI Realtime API (GA protocol) that the engine reaches
 * through the real SDK: scripted replies, energy VAD, barge-in, function calls,
 * and the failure modes (refusals, drops, the session cap) a live call can hit.
 */

export interface RealtimeSimOptions {
  /** The bearer key to accept; any other key is refused with 401 at upgrade. */
  apiKey: string;
  tls?: TestTls;
  /** Script for sessions that find nothing in queueScript's queue. */
  script?: ScriptSource;
  /** Audio delta size in ms (8 bytes per ms). Default 40. */
  chunkMs?: number;
  /** 'realtime': one delta per chunkMs; 'burst': the whole response at once. Default 'realtime'. */
  pace?: 'realtime' | 'burst';
  /** Emulates the 60-minute cap: at this age a session gets `session_expired` and a 1000 close. */
  maxSessionMs?: number;
  /** false turns the VAD off (bench mode): appends are only recorded. Default true. */
  vad?: boolean;
  /** false keeps only byte counts of caller audio, for long benches. Default true. */
  keepInputAudio?: boolean;
  /**
   * false leaves appends out of session.received, audio deltas out of session.sent, and
   * assistant audio out of outputAudioBuffer() (counts are kept), for long benches. Default true.
   */
  recordAudioEvents?: boolean;
  /**
   * false keeps only the type and time of every other event in session.received and
   * session.sent, for long benches: at 200 calls their bodies (responses, usage, items)
   * were 500 KB a second of the bench's heap, promoted and then freed by 10-24 ms full
   * collections that stalled both simulators mid-window. Default true.
   */
  recordEventBodies?: boolean;
}

export class RealtimeSim {
  readonly sessions: SimSession[] = [];
  /** false refuses new upgrades with HTTP 503. */
  acceptConnections = true;
  /** Holds each accepted upgrade this long, like a slow network to OpenAI. */
  acceptDelayMs = 0;
  private readonly queued: Script[] = [];
  private readonly waiters = new Waiters();
  private readonly ctx: SessionContext;

  private constructor(
    private readonly opts: RealtimeSimOptions,
    private readonly srv: RealtimeServer,
    /** The Responses endpoint on the same host (texts, summaries). */
    readonly responses: ResponsesSim,
    /** The transcription endpoint (voicemails). */
    readonly transcriptions: TranscriptionsSim,
  ) {
    this.ctx = {
      chunkMs: opts.chunkMs ?? 40,
      pace: opts.pace ?? 'realtime',
      vad: opts.vad ?? true,
      keepInputAudio: opts.keepInputAudio ?? true,
      recordAudioEvents: opts.recordAudioEvents ?? true,
      recordEventBodies: opts.recordEventBodies ?? true,
      ...(opts.maxSessionMs === undefined ? {} : { maxSessionMs: opts.maxSessionMs }),
    };
  }

  static async start(opts: RealtimeSimOptions): Promise<RealtimeSim> {
    let sim: RealtimeSim | undefined;
    const responses = new ResponsesSim(opts.apiKey);
    const transcriptions = new TranscriptionsSim(opts.apiKey);
    const srv = await startRealtimeServer(
      opts.tls ?? ensureTestTls(),
      { apiKey: opts.apiKey, accepting: () => sim?.acceptConnections ?? false, acceptDelayMs: () => sim?.acceptDelayMs ?? 0 },
      (ws, info) => sim?.adopt(ws, info),
      (req, res) => {
        const path = new URL(req.url ?? '/', 'https://sim').pathname;
        if (req.method !== 'POST') return false;
        if (path === '/v1/responses') responses.handle(req, res).catch(() => res.destroy());
        else if (path === '/v1/audio/transcriptions') transcriptions.handle(req, res).catch(() => res.destroy());
        else return false;
        return true;
      },
    );
    sim = new RealtimeSim(opts, srv, responses, transcriptions);
    return sim;
  }

  /** The engine's OPENAI_BASE_URL; the SDK turns it into wss://…/v1/realtime?model=… */
  get baseUrl(): string {
    return `https://127.0.0.1:${this.srv.port}/v1`;
  }

  get port(): number {
    return this.srv.port;
  }

  /** Called for every input_audio_buffer.append, before the VAD sees it (bench hook). */
  get onAppend(): SessionContext['onAppend'] {
    return this.ctx.onAppend;
  }

  set onAppend(hook: SessionContext['onAppend']) {
    if (hook) this.ctx.onAppend = hook;
    else delete this.ctx.onAppend;
  }

  /** Called after every audio delta a session sends, with that delta's audio (bench hook). */
  get onAudioDelta(): SessionContext['onAudioDelta'] {
    return this.ctx.onAudioDelta;
  }

  set onAudioDelta(hook: SessionContext['onAudioDelta']) {
    if (hook) this.ctx.onAudioDelta = hook;
    else delete this.ctx.onAudioDelta;
  }

  /** The next new connection takes this script (FIFO), ahead of the default. */
  queueScript(script: Script): void {
    this.queued.push(script);
  }

  waitForSession(index = this.sessions.length, timeoutMs = 5000): Promise<SimSession> {
    return this.waiters.until(() => this.sessions[index], timeoutMs,
      () => `realtime sim: session ${index} did not connect within ${timeoutMs} ms (have ${this.sessions.length})`);
  }

  /**
   * Which session's assistant audio contains these bytes (e.g. one 20 ms frame a
   * caller heard). Generated voices are unique per session, so a hit on the wrong
   * session means audio crossed between calls.
   */
  sessionOfAudio(audio: Buffer): SimSession | undefined {
    if (audio.length === 0) return undefined;
    return this.sessions.find((s) => s.outputBytes >= audio.length && s.outputAudioBuffer().includes(audio));
  }

  /** Kills every session socket without a close frame, as a network failure would. */
  dropAll(): void {
    for (const s of this.sessions) if (s.closedAt === undefined) s.drop();
  }

  async close(): Promise<void> {
    this.acceptConnections = false;
    const open = this.sessions.filter((s) => s.closedAt === undefined);
    for (const s of open) s.close(1001, 'realtime sim closing');
    const grace = new Promise((r) => setTimeout(r, 500).unref());
    await Promise.race([Promise.all(open.map((s) => s.closed)), grace]);
    for (const s of open) if (s.closedAt === undefined) s.drop();
    await Promise.all(open.map((s) => s.closed));
    this.srv.wss.close();
    await new Promise<void>((resolve) => {
      this.srv.server.close(() => resolve());
      this.srv.server.closeAllConnections();
    });
  }

  private adopt(ws: WebSocket, info: ConnectInfo): void {
    const index = this.sessions.length;
    const source = this.queued.shift() ?? this.opts.script ?? {};
    const script = typeof source === 'function' ? source(index) : source;
    this.sessions.push(new SimSession(ws, index, script, this.ctx, info));
    this.waiters.notify();
  }
}

export { SimSession } from './session.js';
export type { ConnectInfo, Received, Truncate, Utterance } from './session.js';
export type { Reply, Script, ScriptSource, Turn } from './script.js';
export type { ResponseRecord } from './response.js';
export { voiceLike, linearToMulaw, MS_PER_WORD } from './voice.js';
export { DEFAULT_VAD, EnergyVad } from './vad.js';
