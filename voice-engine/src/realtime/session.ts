import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { appendAudio, sessionUpdate, toSignal, type RealtimeSignal, type SessionSettings } from './protocol.js';

export interface RealtimeConnectOptions {
  apiKey: string;
  baseUrl: string | null;
  model: string;
  settings: SessionSettings;
  /** Give up on a session that has not opened by then: the caller is waiting. */
  connectTimeoutMs: number;
}

export type SessionFailure = { reason: 'connect-failed' | 'dropped' | 'timeout'; error: Error };

export interface RealtimeSessionListener {
  /** The session is configured and may be asked to speak. */
  onOpen(): void;
  onSignal(signal: RealtimeSignal): void;
  /** The session can no longer carry the call. Called at most once. */
  onFailure(failure: SessionFailure): void;
}

/**
 * One OpenAI Realtime session for one call, over the SDK's WebSocket client.
 * `session.update` goes out the moment the socket opens and caller audio that arrives
 * before then is held, so the model never hears a frame under the wrong format and
 * no frame is lost.
 */
export class RealtimeSession {
  private readonly rt: OpenAIRealtimeWS;
  private readonly heldAudio: string[] = [];
  private configured = false;
  private finished = false;
  private readonly connectTimer: NodeJS.Timeout;

  constructor(options: RealtimeConnectOptions, private readonly listener: RealtimeSessionListener) {
    const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl ?? undefined, maxRetries: 0 });
    this.rt = new OpenAIRealtimeWS({ model: options.model }, client);
    this.connectTimer = setTimeout(
      () => this.fail('timeout', new Error(`Realtime session did not open within ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    this.rt.socket.on('open', () => {
      clearTimeout(this.connectTimer);
      this.send(sessionUpdate(options.settings));
      this.configured = true;
      for (const payload of this.heldAudio.splice(0)) this.send(appendAudio(payload));
      this.listener.onOpen();
    });
    this.rt.on('event', (event) => {
      const signal = toSignal(event as { type: string });
      if (signal) this.listener.onSignal(signal);
    });
    // Protocol-level `error` events also arrive as 'event'; this catches socket errors.
    this.rt.on('error', (err) => {
      if (!err.error) this.fail(this.configured ? 'dropped' : 'connect-failed', err);
    });
    this.rt.socket.on('close', (code, reason) => {
      clearTimeout(this.connectTimer);
      const why = reason.toString() || 'no reason given';
      this.fail(this.configured ? 'dropped' : 'connect-failed', new Error(`Realtime socket closed (${code}: ${why})`));
    });
  }

  get isOpen(): boolean {
    return this.configured && !this.finished;
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
    clearTimeout(this.connectTimer);
    this.heldAudio.length = 0;
    if (this.rt.socket.readyState === this.rt.socket.CONNECTING) this.rt.socket.terminate();
    else this.rt.close({ code: 1000, reason: 'call ended' });
  }

  private fail(reason: SessionFailure['reason'], error: Error): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.connectTimer);
    this.heldAudio.length = 0;
    this.rt.socket.terminate();
    this.listener.onFailure({ reason, error });
  }
}
