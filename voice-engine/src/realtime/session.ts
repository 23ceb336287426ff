import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { appendAudio, modelAudio, sessionUpdate, toSignal, type RealtimeSignal, type SessionSettings } from './protocol.js';

export interface RealtimeConnectOptions {
  apiKey: string;
  baseUrl: string | null;
  model: string;
  settings: SessionSettings;
}

/**
 * connect-failed: the socket never opened; rejected: OpenAI answered `session.update`
 * with an error (a wrong voice name, say), so the session would run on defaults it
 * cannot use; dropped: the socket closed after the session was confirmed.
 */
export type SessionFailure = { reason: 'connect-failed' | 'rejected' | 'dropped'; error: Error };

export interface RealtimeSessionListener {
  /** The socket is open and `session.update` has gone out: conversation items may follow. */
  onOpen(): void;
  /** OpenAI confirmed the configuration (`session.updated`): the session may be asked to speak. */
  onReady(): void;
  /** A chunk of the model's speech (base64 μ-law) for the conversation item `itemId`. */
  onAudio(itemId: string, payloadBase64: string): void;
  onSignal(signal: RealtimeSignal): void;
  /** The session can no longer carry the call. Called at most once. */
  onFailure(failure: SessionFailure): void;
}

/**
 * One OpenAI Realtime session for one call, over the SDK's WebSocket client.
 * `session.update` goes out the moment the socket opens and caller audio that arrives
 * before then is held, so the model never hears a frame under the wrong format and
 * no frame is lost. How long to wait for it is the call supervisor's business.
 */
export class RealtimeSession {
  private readonly rt: OpenAIRealtimeWS;
  private readonly heldAudio: string[] = [];
  private configured = false;
  private confirmed = false;
  private finished = false;

  constructor(options: RealtimeConnectOptions, private readonly listener: RealtimeSessionListener) {
    const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl ?? undefined, maxRetries: 0 });
    this.rt = new OpenAIRealtimeWS({ model: options.model }, client);
    this.rt.socket.on('open', () => {
      if (this.finished) return;
      this.send(sessionUpdate(options.settings));
      this.configured = true;
      for (const payload of this.heldAudio.splice(0)) this.send(appendAudio(payload));
      this.listener.onOpen();
    });
    this.rt.on('event', (event) => {
      if (this.finished) return;
      // Model audio takes a short path of small functions, which V8 optimizes within
      // seconds even at a few calls; through the general dispatch below, no function on
      // the way was optimized in a 30 s run at 10 calls (--trace-opt).
      const raw = event as { type: string };
      const audio = modelAudio(raw);
      if (audio) return this.listener.onAudio(audio.item_id, audio.delta);
      const signal = toSignal(raw);
      if (!signal) return;
      if (!this.confirmed) {
        if (signal.kind === 'error') return this.fail('rejected', new Error(`OpenAI refused the session: ${signal.code}: ${signal.message}`));
        if (signal.kind === 'session-updated') {
          this.confirmed = true;
          this.listener.onReady();
          return;
        }
      }
      this.listener.onSignal(signal);
    });
    // Protocol-level `error` events also arrive as 'event'; this catches socket errors.
    this.rt.on('error', (err) => {
      if (!err.error) this.fail(this.configured ? 'dropped' : 'connect-failed', err);
    });
    this.rt.socket.on('close', (code, reason) => {
      const why = reason.toString() || 'no reason given';
      this.fail(this.configured ? 'dropped' : 'connect-failed', new Error(`Realtime socket closed (${code}: ${why})`));
    });
  }

  /** Confirmed by OpenAI and not closed: safe to ask for replies. */
  get isReady(): boolean {
    return this.confirmed && !this.finished;
  }

  get isClosed(): boolean {
    return this.finished;
  }

  appendAudio(payloadBase64: string): void {
    if (this.finished) return;
    if (!this.configured) this.heldAudio.push(payloadBase64);
    else this.send(appendAudio(payloadBase64));
  }

  send(event: RealtimeClientEvent): void {
    if (!this.finished) this.rt.send(event);
  }

  /** A deliberate close (call ended, or replaced by a fresh session): not a failure. */
  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.heldAudio.length = 0;
    if (this.rt.socket.readyState === this.rt.socket.CONNECTING) this.rt.socket.terminate();
    else this.rt.close({ code: 1000, reason: 'call ended' });
  }

  private fail(reason: SessionFailure['reason'], error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.heldAudio.length = 0;
    this.rt.socket.terminate();
    this.listener.onFailure({ reason, error });
  }
}
