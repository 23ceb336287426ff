import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { BYTES_PER_MS } from '../audio.js';
import { errorEvent, invalidRequest, isPlainObject, newId, type OutgoingEvent, type SimError } from './events.js';
import type { ResponseRecord, Wire } from './response.js';
import type { Script } from './script.js';
import { ConfigError, defaultSessionConfig, sessionView, turnDetection, validateUpdate } from './session-config.js';
import { TurnRunner, type TurnHost } from './turns.js';
import { DEFAULT_VAD, EnergyVad, type VadListener } from './vad.js';
import { Waiters } from './waiters.js';
import { callProblem } from './tool-schema.js';

/**
 * One simulated Realtime connection: records everything the client sends, runs
 * the energy VAD over appended audio, and answers from its script with GA events.
 */

export interface SessionContext {
  chunkMs: number;
  pace: 'realtime' | 'burst';
  vad: boolean;
  keepInputAudio: boolean;
  recordAudioEvents?: boolean;
  recordEventBodies?: boolean;
  maxSessionMs?: number;
  onAppend?: (session: SimSession, audio: Buffer, at: number) => void;
  /** Called right after each response.output_audio.delta went out, with its audio (bench hook). */
  onAudioDelta?: (session: SimSession, audio: Buffer, at: number) => void;
}

export interface ConnectInfo {
  model: string;
  authorization: string;
  headers: Record<string, string | string[] | undefined>;
  url: string;
}

export interface Received {
  at: number;
  /** The parsed client event; appends are kept as {type, bytes} only. */
  event: any;
}

export interface Utterance {
  itemId: string;
  audioStartMs: number;
  audioEndMs: number;
  /** The script's `user` text reported by input transcription. */
  transcript: string;
  committedBy: 'server_vad' | 'client';
}

export interface Truncate {
  at: number;
  item_id: string;
  content_index: number;
  audio_end_ms: number;
  /** False when the sim answered with an error (e.g. audio_end_ms past the audio sent). */
  accepted: boolean;
}

export class SimSession implements TurnHost {
  readonly id = newId('sess');
  readonly conversationId = newId('conv');
  readonly model: string;
  readonly authorization: string;
  readonly headers: ConnectInfo['headers'];
  readonly url: string;
  readonly connectedAt = performance.now();
  closedAt: number | undefined;
  /** Close code seen by the server (1006 when the socket died without a close frame). */
  closeCode: number | undefined;
  /** The effective session config: server defaults merged with every accepted session.update. */
  config: Record<string, unknown>;
  /** The `session` object of every accepted session.update, raw. */
  readonly updates: unknown[] = [];
  readonly received: Received[] = [];
  /** Server events sent: audio deltas keep only their type, to stay small. */
  readonly sent: Array<{ at: number; type: string; event?: OutgoingEvent }> = [];
  readonly truncates: Truncate[] = [];
  readonly functionOutputs: Array<{ call_id: string; output: string; at: number }> = [];
  readonly responses: ResponseRecord[] = [];
  readonly utterances: Utterance[] = [];
  /**
   * Errors the sim had to send because the client did something the real service refuses
   * (or a script asked for a call the model could never make). Tests fail on any of these
   * unless they expect them; errors a script injects on purpose are in `injectedErrors`.
   */
  readonly refusals: SimError[] = [];
  readonly injectedErrors: SimError[] = [];
  inputBytes = 0;
  outputBytes = 0;
  /** input_audio_buffer.append events that arrived before the first session.update. */
  audioBeforeUpdate = 0;
  readonly closed: Promise<void>;

  private readonly inputChunks: Buffer[] = [];
  private readonly outputChunks: Buffer[] = [];
  private readonly vad: EnergyVad | undefined;
  private readonly turns: TurnRunner;
  private readonly waiters = new Waiters();
  private readonly expiry: NodeJS.Timeout | undefined;
  private resolveClosed!: () => void;
  private speechItemId: string | undefined;
  private lastItemId: string | null = null;
  private committedBytes = 0;
  private readonly knownCallIds = new Set<string>();

  constructor(
    private readonly ws: WebSocket,
    readonly index: number,
    script: Script,
    private readonly ctx: SessionContext,
    info: ConnectInfo,
  ) {
    this.model = info.model;
    this.authorization = info.authorization;
    this.headers = info.headers;
    this.url = info.url;
    this.config = defaultSessionConfig(this.model);
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.turns = new TurnRunner(this, script);
    if (ctx.vad) this.vad = new EnergyVad(this.vadListener, DEFAULT_VAD);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', () => {}); // a dropped peer surfaces as 'close'; nothing to do here
    if (ctx.maxSessionMs !== undefined) this.expiry = setTimeout(() => this.expire(), ctx.maxSessionMs);
    this.send({ type: 'session.created', session: sessionView(this) });
    const beta = String(info.headers['openai-beta'] ?? '');
    if (beta.includes('realtime=v1')) {
      // The real server answers that header with the beta protocol, which this sim does not speak.
      this.sendError(invalidRequest('beta_protocol_requested', `OpenAI-Beta: ${beta} selects the beta Realtime protocol; the engine must speak GA`));
    }
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** All caller audio received so far, concatenated on demand. */
  inputAudioBuffer(): Buffer {
    return coalesce(this.inputChunks, this.inputBytes);
  }

  /** Every assistant audio byte actually sent, in order. */
  outputAudioBuffer(): Buffer {
    return coalesce(this.outputChunks, this.outputBytes);
  }

  /** Resolves once `pred` holds; re-checked after every event in either direction. */
  waitFor(pred: (s: SimSession) => boolean, timeoutMs = 5000): Promise<SimSession> {
    return this.waiters.until(() => pred(this) && this, timeoutMs,
      () => `realtime sim session ${this.index}: condition not met within ${timeoutMs} ms`);
  }

  /** Destroys the socket with no close frame, as a failing upstream would. */
  drop(): void {
    this.turns.abandon();
    this.ws.terminate();
  }

  close(code = 1000, reason = ''): void {
    this.turns.abandon();
    if (this.isOpen) this.ws.close(code, reason);
    else this.ws.terminate();
  }

  // ---- TurnHost: what the turn runner needs from the connection ----

  readonly wire: Wire = {
    send: (event) => this.send(event),
    sentAudio: (chunk) => {
      if (this.ctx.recordAudioEvents !== false) this.outputChunks.push(chunk);
      this.outputBytes += chunk.length;
      this.ctx.onAudioDelta?.(this, chunk, performance.now());
    },
  };

  get pacing() {
    return {
      chunkMs: this.ctx.chunkMs,
      pace: this.ctx.pace,
      conversationId: this.conversationId,
      inputBytes: () => this.inputBytes,
      responsesBefore: () => this.responses.filter((r) => r.doneAt !== undefined).length,
    };
  }

  lastUtteranceAudio(): Buffer {
    const last = this.utterances.at(-1);
    if (!last) return Buffer.alloc(0);
    return this.inputAudioBuffer().subarray(last.audioStartMs * BYTES_PER_MS, last.audioEndMs * BYTES_PER_MS);
  }

  sendError(error: SimError, clientEventId?: unknown, injected = false): void {
    (injected ? this.injectedErrors : this.refusals).push(error);
    this.send(errorEvent(error, clientEventId));
  }

  checkCall(name: string, args: Record<string, unknown>): string | null {
    return callProblem(this.config.tools, name, args);
  }

  record(response: ResponseRecord): void {
    this.responses.push(response);
    if (response.callId) this.knownCallIds.add(response.callId);
  }

  // ---- inbound ----

  private onMessage(data: Buffer, isBinary: boolean): void {
    const at = performance.now();
    let event: unknown;
    try {
      event = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      event = undefined;
    }
    if (!isPlainObject(event) || typeof event.type !== 'string') {
      this.received.push({ at, event: { type: '(unparseable)', bytes: data.length } });
      this.sendError(invalidRequest('invalid_json', 'The server could not parse the client event as JSON with a string `type`'));
      return this.notify();
    }
    if (event.type === 'input_audio_buffer.append') this.onAppend(event, at);
    else {
      this.received.push({ at, event: this.ctx.recordEventBodies === false ? { type: event.type } : event });
      this.dispatch(event);
    }
    this.notify();
  }

  private dispatch(event: Record<string, unknown>): void {
    const eid = event.event_id;
    switch (event.type) {
      case 'session.update': return this.onSessionUpdate(event.session, eid);
      case 'response.create': return this.turns.onResponseCreate(event.response, eid);
      case 'response.cancel': return this.turns.onResponseCancel(eid);
      case 'conversation.item.create': return this.onItemCreate(event.item, eid);
      case 'conversation.item.truncate': return this.onTruncate(event, eid);
      case 'conversation.item.delete':
        return this.send({ type: 'conversation.item.deleted', item_id: String(event.item_id) });
      case 'conversation.item.retrieve':
        return this.sendError(invalidRequest('item_not_found', `the sim keeps no item store (${String(event.item_id)})`), eid);
      case 'input_audio_buffer.commit': return this.onCommit(eid);
      case 'input_audio_buffer.clear':
        this.vad?.reset();
        this.speechItemId = undefined;
        this.committedBytes = this.inputBytes;
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'output_audio_buffer.clear':
        return; // WebRTC/SIP only; over WebSocket the client owns playback
      default:
        return this.sendError(invalidRequest('unknown_event', `Invalid value: '${String(event.type)}'. Supported values are realtime client events.`), eid);
    }
  }

  private onAppend(event: Record<string, unknown>, at: number): void {
    if (typeof event.audio !== 'string') {
      this.received.push({ at, event: { type: event.type, bytes: 0 } });
      return this.sendError(invalidRequest('missing_required_parameter', "Missing required parameter: 'audio'."), event.event_id);
    }
    const audio = Buffer.from(event.audio, 'base64');
    if (this.ctx.recordAudioEvents !== false) this.received.push({ at, event: { type: event.type, bytes: audio.length } });
    if (this.updates.length === 0) this.audioBeforeUpdate++;
    this.inputBytes += audio.length;
    if (this.ctx.keepInputAudio) this.inputChunks.push(audio);
    this.ctx.onAppend?.(this, audio, at);
    if (this.vad && turnDetection(this.config) !== null) this.vad.push(audio);
  }

  private onSessionUpdate(session: unknown, eid: unknown): void {
    let merged: Record<string, unknown>;
    try {
      merged = validateUpdate(this.config, session);
    } catch (err) {
      if (err instanceof ConfigError) return this.sendError(err.error, eid);
      throw err;
    }
    this.config = merged;
    this.updates.push(session);
    const td = turnDetection(merged);
    if (td && typeof td.silence_duration_ms === 'number') this.vad?.tune({ ...DEFAULT_VAD, silenceMs: td.silence_duration_ms });
    this.send({ type: 'session.updated', session: sessionView(this) });
  }

  private onItemCreate(item: unknown, eid: unknown): void {
    if (!isPlainObject(item)) return this.sendError(invalidRequest('missing_required_parameter', "Missing required parameter: 'item'."), eid);
    if (item.type === 'function_call_output') {
      const callId = String(item.call_id);
      if (!this.knownCallIds.has(callId)) {
        return this.sendError(invalidRequest('invalid_value', `No function call with call_id '${callId}' in this conversation`), eid);
      }
      this.functionOutputs.push({ call_id: callId, output: String(item.output), at: performance.now() });
      this.turns.onFunctionOutput(callId);
    }
    const stored = { ...item, id: typeof item.id === 'string' ? item.id : newId('item'), object: 'realtime.item', status: 'completed' };
    this.send({ type: 'conversation.item.added', item: stored as never });
    this.send({ type: 'conversation.item.done', item: stored as never });
  }

  private onTruncate(event: Record<string, unknown>, eid: unknown): void {
    const t: Truncate = {
      at: performance.now(),
      item_id: String(event.item_id),
      content_index: Number(event.content_index ?? 0),
      audio_end_ms: Number(event.audio_end_ms),
      accepted: false,
    };
    this.truncates.push(t);
    const response = this.responses.find((r) => r.itemId === t.item_id && r.kind === 'audio');
    if (!response) {
      return this.sendError(invalidRequest('invalid_value', `Only assistant messages can be truncated; no such item '${t.item_id}'`), eid);
    }
    const sentMs = Math.floor(response.bytesSent / BYTES_PER_MS);
    if (!(t.audio_end_ms >= 0) || t.audio_end_ms > sentMs) {
      return this.sendError(invalidRequest('invalid_value', `Audio content of ${sentMs}ms is already shorter than ${t.audio_end_ms}ms`), eid);
    }
    t.accepted = true;
    this.send({ type: 'conversation.item.truncated', item_id: t.item_id, content_index: t.content_index, audio_end_ms: t.audio_end_ms });
  }

  private onCommit(eid: unknown): void {
    const bytes = this.inputBytes - this.committedBytes;
    if (bytes < 100 * BYTES_PER_MS) {
      return this.sendError(invalidRequest('input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${bytes / BYTES_PER_MS}ms of audio.`), eid);
    }
    this.vad?.reset();
    const itemId = this.speechItemId ?? newId('item');
    this.speechItemId = undefined;
    this.commitUtterance(itemId, this.committedBytes / BYTES_PER_MS, this.inputBytes / BYTES_PER_MS, 'client');
  }

  // ---- server VAD ----

  private readonly vadListener: VadListener = {
    speechStarted: (audioStartMs) => {
      this.speechItemId = newId('item');
      this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: audioStartMs, item_id: this.speechItemId });
      if (turnDetection(this.config)?.interrupt_response !== false) this.turns.interrupt();
    },
    speechStopped: (audioStartMs, audioEndMs) => {
      const itemId = this.speechItemId ?? newId('item');
      this.speechItemId = undefined;
      this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: audioEndMs, item_id: itemId });
      this.commitUtterance(itemId, audioStartMs, audioEndMs, 'server_vad');
    },
  };

  private commitUtterance(itemId: string, audioStartMs: number, audioEndMs: number, by: Utterance['committedBy']): void {
    this.committedBytes = this.inputBytes;
    const turn = this.turns.nextTurn();
    this.utterances.push({ itemId, audioStartMs, audioEndMs, transcript: turn.user, committedBy: by });
    this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: this.lastItemId });
    const item = { id: itemId, object: 'realtime.item' as const, type: 'message' as const, status: 'completed' as const,
      role: 'user' as const, content: [{ type: 'input_audio' as const, transcript: null as unknown as string }] };
    this.send({ type: 'conversation.item.added', item });
    this.send({ type: 'conversation.item.done', item });
    const transcription = (this.config.audio as { input?: { transcription?: unknown } } | undefined)?.input?.transcription;
    if (transcription) {
      this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0,
        transcript: turn.user, usage: { type: 'duration', seconds: Math.ceil((audioEndMs - audioStartMs) / 1000) } });
    }
    const td = turnDetection(this.config);
    if (by === 'server_vad' && td?.create_response !== false) this.turns.play(turn.replies, undefined, turn.respondAfterMs);
    else this.turns.holdForResponseCreate(turn.replies);
  }

  // ---- outbound and lifecycle ----

  send(event: OutgoingEvent): void {
    if (!this.isOpen) return;
    if (event.type === 'conversation.item.added') {
      event.previous_item_id = this.lastItemId;
      this.lastItemId = event.item.id ?? this.lastItemId;
    }
    const stamped = { event_id: newId('event'), ...event };
    this.ws.send(JSON.stringify(stamped));
    const at = performance.now();
    if (event.type !== 'response.output_audio.delta') this.sent.push(this.ctx.recordEventBodies === false ? { at, type: event.type } : { at, type: event.type, event: stamped });
    else if (this.ctx.recordAudioEvents !== false) this.sent.push({ at, type: event.type });
    this.notify();
  }

  private expire(): void {
    this.sendError({ type: 'invalid_request_error', code: 'session_expired', message: 'Your session hit the maximum duration of 60 minutes.' }, undefined, true);
    this.close(1000, 'session expired');
  }

  private onClose(code: number): void {
    this.closedAt = performance.now();
    this.closeCode = code;
    clearTimeout(this.expiry);
    this.turns.abandon();
    this.resolveClosed();
    this.notify();
  }

  private notify(): void {
    this.waiters.notify();
  }
}

/** Concatenates lazily and keeps the result, so repeated reads stay cheap. */
function coalesce(chunks: Buffer[], total: number): Buffer {
  if (chunks.length === 1 && chunks[0]!.length === total) return chunks[0]!;
  const all = Buffer.concat(chunks, chunks.reduce((n, c) => n + c.length, 0));
  chunks.length = 0;
  chunks.push(all);
  return all;
}
