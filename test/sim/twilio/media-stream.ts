import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { FRAME_BYTES, FRAME_MS, MULAW_SILENCE } from '../audio.js';
import { CallerAudio } from './caller-audio.js';
import type { ClockSubscriber, FrameClock } from './frame-clock.js';
import * as msg from './media-messages.js';
import { PlayoutBuffer } from './playout.js';
import { randomSid, twilioSignature, type SignatureMode } from './signing.js';

export interface ProtocolError {
  at: number;
  reason: string;
  data: string;
}

/** Per-call knobs the bench sets on the SimCall; read on every frame so they can change mid-call. */
export interface StreamHooks {
  recordReceived: boolean;
  /** False: played audio and returned marks are only counted, not kept (played(), marksReturned). */
  recordPlayout?: boolean;
  frameHook?: (seq: number) => Buffer | undefined;
  onFrameSent?: (seq: number, at: number) => void;
  onMedia?: (payload: Buffer, at: number) => void;
}

export interface StreamEvents {
  /** Something observable changed (message, tick, close): re-check waiters. */
  changed(): void;
  /** The socket closed while media was flowing, without Twilio's `stop`: by the engine, or a dropped connection. */
  streamEnded(byEngine: boolean): void;
}

const SILENCE_B64 = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE).toString('base64');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Longest we let a clean WebSocket close take before cutting the TCP connection. */
const CLOSE_GRACE_MS = 1000;

/**
 * Twilio's end of one Media Streams WebSocket: caller audio out as 20 ms media frames on
 * the shared clock, engine audio into a playout buffer that honours mark and clear.
 */
export class MediaStream implements ClockSubscriber {
  streamSid?: string;
  rejectedStatus?: number;
  error?: Error;
  framesSent = 0;
  readonly received: Array<{ at: number; msg: any }> = [];
  readonly marksReturned: Array<{ name: string; at: number }> = [];
  readonly playout = new PlayoutBuffer();
  readonly caller = new CallerAudio();
  readonly closed: Promise<{ code: number; reason: string }>;

  private ws: WebSocket | undefined;
  private streaming = false;
  /** Frames stop but the socket stays open: a stream gone quiet without `stop`. */
  private quiet = false;
  private droppedBySim = false;
  private abortedByRedirect = false;
  private stopSent = false;
  private seq = 0;
  private chunk = 0;
  private resolveClosed!: (v: { code: number; reason: string }) => void;

  constructor(
    private readonly ids: { accountSid: string; callSid: string },
    private readonly clock: FrameClock,
    private readonly hooks: StreamHooks,
    private readonly protocolErrors: ProtocolError[],
    private readonly events: StreamEvents,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** No socket will exist (no <Stream>, or the test chose not to connect). */
  markAbsent(reason: string): void {
    this.resolveClosed({ code: 0, reason });
  }

  /**
   * Connects to `actualUrl` signed over `publicUrl` (the URL from the TwiML), then sends
   * connected and start. Resolves once start is sent or the upgrade is refused.
   */
  connect(publicUrl: string, actualUrl: string, authToken: string, signature: SignatureMode, parameters: Record<string, string>): Promise<void> {
    const headers: Record<string, string> = {};
    const sig = twilioSignature(authToken, publicUrl, {}, signature);
    if (sig !== undefined) headers['X-Twilio-Signature'] = sig;
    const ws = new WebSocket(actualUrl, { headers, perMessageDeflate: false });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      let settled = false;
      ws.on('unexpected-response', (_req, res) => {
        this.rejectedStatus = res.statusCode ?? 0;
        res.resume();
        settled = true;
        resolve();
        ws.terminate();
      });
      ws.on('open', () => {
        settled = true;
        this.streamSid = randomSid('MZ');
        ws.send(msg.connectedMessage());
        ws.send(msg.startMessage(this.streamIds(), ++this.seq, parameters));
        this.streaming = true;
        this.clock.add(this);
        resolve();
      });
      ws.on('message', (data, isBinary) => this.onEngineMessage(data as Buffer, isBinary));
      ws.on('error', (err) => {
        if (!settled) {
          settled = true;
          // A redirect that lands before the stream connects cancels it, as at Twilio.
          if (this.abortedByRedirect) resolve();
          else reject(err);
        } else if (this.rejectedStatus === undefined) {
          this.error = err;
        }
      });
      ws.on('close', (code, reason) => {
        const ended = this.streaming && !this.stopSent;
        this.stopStreaming();
        this.resolveClosed({ code, reason: reason.toString('utf8') });
        if (ended) this.events.streamEnded(!this.droppedBySim);
        this.events.changed();
      });
    });
  }

  onTick(at: number): void {
    const ws = this.ws;
    if (!this.streaming || this.quiet || !ws || ws.readyState !== WebSocket.OPEN) return;
    const chunk = ++this.chunk;
    const frame = this.hooks.frameHook?.(chunk) ?? this.caller.nextFrame();
    const payload = frame ? frame.toString('base64') : SILENCE_B64;
    ws.send(msg.mediaMessage(this.streamSid!, ++this.seq, chunk, (chunk - 1) * FRAME_MS, payload));
    this.framesSent++;
    this.hooks.onFrameSent?.(chunk, at);
    this.caller.notifySent();
    this.returnMarks(this.playout.tick(this.hooks.recordPlayout !== false).dueMarks, at);
    this.events.changed();
  }

  pressDigit(digit: string): void {
    this.send(msg.dtmfMessage(this.streamSid ?? '', ++this.seq, digit));
  }

  sendRaw(data: string | Buffer): void {
    this.send(data);
  }

  /** Twilio leaving <Connect>: `stop`, then close; resolves when the socket is gone. */
  async stop(): Promise<void> {
    const ws = this.ws;
    if (!ws) return;
    if (ws.readyState === WebSocket.OPEN && this.streaming) {
      this.stopSent = true;
      ws.send(msg.stopMessage(this.streamIds(), ++this.seq));
      ws.close(1000);
    } else if (ws.readyState === WebSocket.CONNECTING) {
      this.abortedByRedirect = true;
      ws.terminate();
    }
    this.stopStreaming();
    let grace: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (grace = setTimeout(() => r('timeout'), CLOSE_GRACE_MS)));
    if ((await Promise.race([this.closed, timedOut])) === 'timeout') ws.terminate();
    clearTimeout(grace);
  }

  /** No more frames (and no playout) while the socket stays open, as a stalled stream at Twilio. */
  goQuiet(): void {
    this.quiet = true;
  }

  /** The TCP connection dies: no `stop`, no close frame. Twilio then leaves <Connect>. */
  dropConnection(): void {
    this.droppedBySim = true;
    this.ws?.terminate();
  }

  /** Immediate teardown for sim.close(): no close handshake. */
  terminate(): void {
    this.stopStreaming();
    this.ws?.terminate();
    this.resolveClosed({ code: 1006, reason: 'simulator closed' });
  }

  private stopStreaming(): void {
    if (!this.streaming) return;
    this.streaming = false;
    this.clock.delete(this);
    this.caller.abandon();
  }

  private onEngineMessage(data: Buffer, isBinary: boolean): void {
    const at = performance.now();
    const text = data.toString('utf8');
    if (isBinary) return this.protocolError(at, 'binary frame', text);
    let m: any;
    try {
      m = JSON.parse(text);
    } catch {
      return this.protocolError(at, 'malformed JSON', text);
    }
    if (this.hooks.recordReceived) this.received.push({ at, msg: m });
    if (m === null || typeof m !== 'object') return this.protocolError(at, 'not an object', text);
    // Twilio ignores messages for another stream; recording them catches crossed calls.
    if (m.streamSid !== this.streamSid) return this.protocolError(at, `streamSid ${String(m.streamSid)} is not this stream`, text);
    switch (m.event) {
      case 'media': {
        const payload = m.media?.payload;
        if (typeof payload !== 'string') return this.protocolError(at, 'media without payload', text);
        if (payload.length % 4 !== 0 || !BASE64.test(payload)) return this.protocolError(at, 'media payload is not valid base64', text);
        const audio = Buffer.from(payload, 'base64');
        this.playout.append(audio);
        this.hooks.onMedia?.(audio, at);
        break;
      }
      case 'mark': {
        const name = m.mark?.name;
        if (typeof name !== 'string') return this.protocolError(at, 'mark without name', text);
        this.playout.addMark(name);
        break;
      }
      case 'clear':
        this.returnMarks(this.playout.clear(at).dueMarks, at);
        break;
      default:
        return this.protocolError(at, `unknown event ${JSON.stringify(m.event)}`, text);
    }
    this.events.changed();
  }

  private returnMarks(names: string[], at: number): void {
    for (const name of names) {
      // Not send(): a clear can arrive while our close is in flight, and that must not throw.
      if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(msg.markMessage(this.streamSid!, ++this.seq, name));
      if (this.hooks.recordPlayout !== false) this.marksReturned.push({ name, at });
    }
  }

  private send(data: string | Buffer): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new Error(`call ${this.ids.callSid}: media stream is not open`);
    ws.send(data);
  }

  private protocolError(at: number, reason: string, data: string): void {
    this.protocolErrors.push({ at, reason, data: data.length > 500 ? `${data.slice(0, 500)}…` : data });
    this.events.changed();
  }

  private streamIds(): msg.StreamIds {
    return { ...this.ids, streamSid: this.streamSid ?? '' };
  }
}
