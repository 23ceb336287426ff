import { randomBytes } from 'node:crypto';
import type {
  ConversationItem,
  RealtimeConversationItemAssistantMessage,
  RealtimeConversationItemFunctionCall,
  RealtimeConversationItemUserMessage,
  RealtimeResponse,
  RealtimeResponseStatus,
  RealtimeServerEvent,
} from 'openai/resources/realtime/realtime.mjs';

/**
 * Builders for GA Realtime server events. Everything the sim sends is typed
 * against the SDK's RealtimeServerEvent union, so a shape drift in the real
 * protocol shows up as a compile error here rather than as a confusing engine bug.
 */

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A server event before the sim stamps its event_id. */
export type OutgoingEvent = DistributiveOmit<RealtimeServerEvent, 'event_id'>;

// Per-process prefix plus a counter: unique across sims in one test run, and cheap.
const RUN = randomBytes(4).toString('hex');
let counter = 0;
export function newId(prefix: 'event' | 'sess' | 'item' | 'resp' | 'call' | 'conv'): string {
  return `${prefix}_${RUN}${(++counter).toString(36).padStart(6, '0')}`;
}

export interface SimError {
  type: string;
  code: string;
  message: string;
  param?: string | null;
}

export function errorEvent(error: SimError, clientEventId?: unknown): OutgoingEvent {
  return {
    type: 'error',
    error: {
      type: error.type,
      code: error.code,
      message: error.message,
      param: error.param ?? null,
      event_id: typeof clientEventId === 'string' ? clientEventId : null,
    },
  };
}

export function invalidRequest(code: string, message: string, param: string | null = null): SimError {
  return { type: 'invalid_request_error', code, message, param };
}

export function userAudioItem(id: string, transcript: string | null): RealtimeConversationItemUserMessage {
  return {
    id,
    object: 'realtime.item',
    type: 'message',
    status: 'completed',
    role: 'user',
    // The real server sends transcript:null until transcription lands; the SDK type says string.
    content: [{ type: 'input_audio', transcript: transcript as string }],
  };
}

export function assistantAudioItem(
  id: string,
  status: 'in_progress' | 'completed' | 'incomplete',
  transcript?: string,
): RealtimeConversationItemAssistantMessage {
  return {
    id,
    object: 'realtime.item',
    type: 'message',
    status,
    role: 'assistant',
    content: transcript === undefined ? [] : [{ type: 'output_audio', transcript }],
  };
}

export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status: 'in_progress' | 'completed',
): RealtimeConversationItemFunctionCall {
  return { id, object: 'realtime.item', type: 'function_call', status, call_id: callId, name, arguments: args };
}

export type ResponseEnd = 'completed' | 'turn_detected' | 'client_cancelled';

/**
 * The `usage` block of a finished response, in the real shape. The sim's token counts are its
 * own convention (a word is a text token, 50 ms of audio out and 100 ms of audio in a token),
 * fixed so tests can check the engine's arithmetic against exactly what was sent.
 */
export function usageBlock(words: number, audioOutBytes: number, audioInBytes: number, cachedText: number): NonNullable<RealtimeResponse['usage']> {
  const textIn = 200 + words;
  const audioIn = Math.ceil(audioInBytes / 800);
  const textOut = words;
  const audioOut = Math.ceil(audioOutBytes / 400);
  return {
    total_tokens: textIn + audioIn + textOut + audioOut,
    input_tokens: textIn + audioIn,
    output_tokens: textOut + audioOut,
    input_token_details: { text_tokens: textIn, audio_tokens: audioIn, image_tokens: 0, cached_tokens: Math.min(cachedText, textIn), cached_tokens_details: { text_tokens: Math.min(cachedText, textIn), audio_tokens: 0, image_tokens: 0 } },
    output_token_details: { text_tokens: textOut, audio_tokens: audioOut },
  };
}

export function responseObject(
  id: string,
  conversationId: string,
  status: 'in_progress' | 'completed' | 'cancelled' | 'failed' | 'incomplete',
  output: ConversationItem[],
  end?: ResponseEnd,
  failure?: RealtimeResponseStatus,
  usage?: RealtimeResponse['usage'],
): RealtimeResponse {
  const details: RealtimeResponseStatus | undefined =
    failure ?? (end === 'turn_detected' || end === 'client_cancelled' ? { type: 'cancelled', reason: end } : undefined);
  return {
    id,
    object: 'realtime.response',
    status,
    ...(details ? { status_details: details } : {}),
    output,
    conversation_id: conversationId,
    output_modalities: ['audio'],
    max_output_tokens: 'inf',
    audio: { output: { format: { type: 'audio/pcmu' } } },
    metadata: null,
    ...(usage ? { usage } : {}),
  };
}

/** Deep-merges a session.update into the current config the way the server does: objects merge, the rest replaces. */
export function mergeSession(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeSession(prev, value) : value;
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
