import { performance } from 'node:perf_hooks';
import { BYTES_PER_MS } from '../audio.js';
import {
  assistantAudioItem,
  functionCallItem,
  newId,
  responseObject,
  usageBlock,
  type OutgoingEvent,
  type ResponseEnd,
} from './events.js';
import type { ConversationItem } from 'openai/resources/realtime/realtime';

/**
 * One model response on the wire: the GA event sequence for an audio message
 * (paced deltas that a barge-in can stop mid-stream) or for a function call.
 */

export interface ResponseRecord {
  id: string;
  itemId: string;
  kind: 'audio' | 'function_call';
  /** Transcript for audio, `name(arguments)` for a function call. */
  text: string;
  /** Everything this response meant to say; `bytesSent` says how much of it went out. */
  audio: Buffer;
  bytesSent: number;
  cancelled: boolean;
  cancelReason?: 'turn_detected' | 'client_cancelled' | 'closed';
  startedAt: number;
  firstDeltaAt?: number;
  doneAt?: number;
  /** The `response` options of the client's response.create, if it triggered this. */
  request?: unknown;
  callId?: string;
}

export interface Wire {
  send(event: OutgoingEvent): void;
  /** Every audio delta that left, in order, so crossed audio between calls can be traced. */
  sentAudio(chunk: Buffer): void;
}

export interface Pacing {
  chunkMs: number;
  pace: 'realtime' | 'burst';
  conversationId: string;
  /** For the usage block: the caller audio so far (each response reads the whole conversation), and responses before this one (their prefix is cached). */
  inputBytes?: () => number;
  responsesBefore?: () => number;
}

export type ResponseOutcome = 'completed' | 'cancelled';

export class AudioResponse {
  readonly record: ResponseRecord;
  readonly finished: Promise<ResponseOutcome>;
  private resolve!: (o: ResponseOutcome) => void;
  private timer: NodeJS.Timeout | undefined;
  private readonly words: string[];
  private wordsSent = 0;
  private chunkIndex = 0;
  private readonly chunkBytes: number;
  private readonly totalChunks: number;
  private t0 = 0;
  private over = false;

  /**
   * A function call the model makes after speaking, in the same response (as the real
   * model does: "Goodbye!" then end_call): sent as the second output item before
   * response.done, unless the speech was cut off.
   */
  private trailingCall: { name: string; args: Record<string, unknown>; onRecord: (record: ResponseRecord) => void } | undefined;

  constructor(private readonly wire: Wire, private readonly pacing: Pacing, text: string, audio: Buffer, request?: unknown) {
    this.record = {
      id: newId('resp'), itemId: newId('item'), kind: 'audio', text, audio, bytesSent: 0, cancelled: false,
      startedAt: performance.now(), ...(request === undefined ? {} : { request }),
    };
    this.words = text.split(/(?<=\s)/);
    this.chunkBytes = Math.max(1, Math.round(pacing.chunkMs * BYTES_PER_MS));
    this.totalChunks = Math.ceil(audio.length / this.chunkBytes);
    this.finished = new Promise((r) => (this.resolve = r));
  }

  thenCall(name: string, args: Record<string, unknown>, onRecord: (record: ResponseRecord) => void): void {
    this.trailingCall = { name, args, onRecord };
  }

  get active(): boolean {
    return !this.over;
  }

  start(): void {
    const { id, itemId } = this.record;
    const w = this.wire;
    w.send({ type: 'response.created', response: responseObject(id, this.pacing.conversationId, 'in_progress', []) });
    w.send({ type: 'response.output_item.added', response_id: id, output_index: 0, item: assistantAudioItem(itemId, 'in_progress') });
    w.send({ type: 'conversation.item.added', previous_item_id: null, item: assistantAudioItem(itemId, 'in_progress') });
    w.send({ type: 'response.content_part.added', response_id: id, item_id: itemId, output_index: 0, content_index: 0,
      part: { type: 'audio', transcript: '' } });
    this.t0 = performance.now();
    if (this.pacing.pace === 'burst') {
      while (!this.over && this.chunkIndex < this.totalChunks) this.sendChunk();
      if (!this.over) this.finish('completed');
    } else {
      this.tick();
    }
  }

  /** Server-side cancel: barge-in (turn_detected) or the client's response.cancel. */
  cancel(reason: 'turn_detected' | 'client_cancelled'): void {
    if (this.over) return;
    this.record.cancelReason = reason;
    this.finish(reason);
  }

  /** The socket went away: nothing more can be sent. */
  abandon(): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.timer);
    this.record.cancelled = true;
    this.record.cancelReason ??= 'closed';
    this.resolve('cancelled');
  }

  private tick = (): void => {
    if (this.over) return;
    this.sendChunk();
    if (this.chunkIndex >= this.totalChunks) return this.finish('completed');
    // Scheduled against the start time so timer drift does not stretch the audio.
    const due = this.t0 + this.chunkIndex * this.pacing.chunkMs;
    this.timer = setTimeout(this.tick, Math.max(0, due - performance.now()));
  };

  private sendChunk(): void {
    const { id, itemId } = this.record;
    const dueWords = this.totalChunks === 0 ? this.words.length
      : Math.ceil(((this.chunkIndex + 1) * this.words.length) / this.totalChunks);
    for (; this.wordsSent < dueWords; this.wordsSent++) {
      this.wire.send({ type: 'response.output_audio_transcript.delta', response_id: id, item_id: itemId,
        output_index: 0, content_index: 0, delta: this.words[this.wordsSent]! });
    }
    if (this.chunkIndex >= this.totalChunks) return;
    const start = this.chunkIndex * this.chunkBytes;
    const chunk = this.record.audio.subarray(start, start + this.chunkBytes);
    this.chunkIndex++;
    this.record.firstDeltaAt ??= performance.now();
    this.wire.send({ type: 'response.output_audio.delta', response_id: id, item_id: itemId,
      output_index: 0, content_index: 0, delta: chunk.toString('base64') });
    this.record.bytesSent += chunk.length;
    this.wire.sentAudio(chunk);
  }

  private finish(end: ResponseEnd): void {
    this.over = true;
    clearTimeout(this.timer);
    const { id, itemId } = this.record;
    const cancelled = end !== 'completed';
    if (!cancelled) this.sendChunk(); // flushes any transcript words still owed
    // Recorded before the events go out, so a waitFor woken by response.done sees the final state.
    this.record.cancelled = cancelled;
    this.record.doneAt = performance.now();
    const transcript = cancelled ? this.words.slice(0, this.wordsSent).join('') : this.record.text;
    const item = assistantAudioItem(itemId, cancelled ? 'incomplete' : 'completed', transcript);
    const at = { response_id: id, item_id: itemId, output_index: 0, content_index: 0 };
    const w = this.wire;
    w.send({ type: 'response.output_audio.done', ...at });
    w.send({ type: 'response.output_audio_transcript.done', ...at, transcript });
    w.send({ type: 'response.content_part.done', ...at, part: { type: 'audio', transcript } });
    w.send({ type: 'response.output_item.done', response_id: id, output_index: 0, item });
    w.send({ type: 'conversation.item.done', previous_item_id: null, item });
    const output: ConversationItem[] = [item];
    if (!cancelled && this.trailingCall) {
      const call = this.trailingCall;
      output.push(sendCallItem(w, id, 1, call.name, call.args, (record) => call.onRecord({ ...record, startedAt: this.record.startedAt })));
    }
    w.send({ type: 'response.done',
      response: responseObject(id, this.pacing.conversationId, cancelled ? 'cancelled' : 'completed', output, end, undefined,
        usageBlock(cancelled ? this.wordsSent : this.words.length, this.record.bytesSent, this.pacing.inputBytes?.() ?? 0, (this.pacing.responsesBefore?.() ?? 0) > 0 ? 200 : 0)) });
    this.resolve(cancelled ? 'cancelled' : 'completed');
  }
}

/** One function-call output item of response `id`, on the wire; recorded before its done events go out. */
function sendCallItem(wire: Wire, id: string, outputIndex: number, name: string, args: Record<string, unknown>, onRecord: (record: ResponseRecord) => void) {
  const itemId = newId('item');
  const callId = newId('call');
  const json = JSON.stringify(args);
  const startedAt = performance.now();
  wire.send({ type: 'response.output_item.added', response_id: id, output_index: outputIndex,
    item: functionCallItem(itemId, callId, name, '', 'in_progress') });
  wire.send({ type: 'conversation.item.added', previous_item_id: null,
    item: functionCallItem(itemId, callId, name, '', 'in_progress') });
  wire.send({ type: 'response.function_call_arguments.delta', response_id: id, item_id: itemId, output_index: outputIndex,
    call_id: callId, delta: json });
  wire.send({ type: 'response.function_call_arguments.done', response_id: id, item_id: itemId, output_index: outputIndex,
    call_id: callId, name, arguments: json });
  const item = functionCallItem(itemId, callId, name, json, 'completed');
  onRecord({
    id, itemId, kind: 'function_call', text: `${name}(${json})`, audio: Buffer.alloc(0), bytesSent: 0, cancelled: false,
    startedAt, doneAt: performance.now(), callId,
  });
  wire.send({ type: 'response.output_item.done', response_id: id, output_index: outputIndex, item });
  wire.send({ type: 'conversation.item.done', previous_item_id: null, item });
  return item;
}

/** A function-call response goes out whole: the model "decides" instantly. */
export function sendFunctionCall(
  wire: Wire, conversationId: string, name: string, args: Record<string, unknown>, request: unknown,
  onRecord: (record: ResponseRecord) => void, usage?: ReturnType<typeof usageBlock>,
): ResponseRecord {
  const id = newId('resp');
  wire.send({ type: 'response.created', response: responseObject(id, conversationId, 'in_progress', []) });
  let record!: ResponseRecord;
  const item = sendCallItem(wire, id, 0, name, args, (r) => {
    record = { ...r, ...(request === undefined ? {} : { request }) };
    onRecord(record);
  });
  wire.send({ type: 'response.done', response: responseObject(id, conversationId, 'completed', [item], 'completed', undefined, usage) });
  return record;
}

/** A reply that fails before saying anything: response.created, then a failed or incomplete response.done. */
export function sendFailedResponse(
  wire: Wire, conversationId: string, fail: { status: 'failed' | 'incomplete'; type?: string; code?: string; reason?: string },
  onRecord: (record: ResponseRecord) => void,
): void {
  const id = newId('resp');
  const startedAt = performance.now();
  wire.send({ type: 'response.created', response: responseObject(id, conversationId, 'in_progress', []) });
  onRecord({ id, itemId: '', kind: 'audio', text: '', audio: Buffer.alloc(0), bytesSent: 0, cancelled: false, startedAt, doneAt: performance.now() });
  const details = fail.status === 'failed'
    ? { type: 'failed' as const, error: { type: fail.type ?? 'server_error', code: fail.code ?? fail.type ?? 'server_error' } }
    : { type: 'incomplete' as const, reason: (fail.reason ?? 'max_output_tokens') as 'max_output_tokens' };
  wire.send({ type: 'response.done', response: responseObject(id, conversationId, fail.status, [], undefined, details) });
}
