import type {
  ConversationItemCreateEvent,
  ConversationItemTruncateEvent,
  InputAudioBufferAppendEvent,
  RealtimeFunctionTool,
  ResponseCreateEvent,
  SessionUpdateEvent,
} from 'openai/resources/realtime/realtime';

/**
 * The OpenAI Realtime GA protocol as this engine speaks it: μ-law in and out
 * (`audio/pcmu`), so Twilio's audio passes through untouched, server VAD so the model
 * hears barge-in, and input transcription so every caller line is on record.
 */
export interface SessionSettings {
  instructions: string;
  voice: string;
  tools: RealtimeFunctionTool[];
}

export const TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

export function sessionUpdate(settings: SessionSettings): SessionUpdateEvent {
  return {
    type: 'session.update',
    session: {
      type: 'realtime',
      instructions: settings.instructions,
      output_modalities: ['audio'],
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          transcription: { model: TRANSCRIPTION_MODEL },
          turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true },
        },
        output: { format: { type: 'audio/pcmu' }, voice: settings.voice },
      },
      tools: settings.tools,
      tool_choice: 'auto',
    },
  };
}

export function appendAudio(payloadBase64: string): InputAudioBufferAppendEvent {
  return { type: 'input_audio_buffer.append', audio: payloadBase64 };
}

/**
 * Asks the model to speak. Prompts the engine makes on its own (a filler while a tool
 * runs, "are you still there?") set `noTools`, so they can never start another action.
 */
export function createResponse(instructions?: string, options: { noTools?: boolean } = {}): ResponseCreateEvent {
  if (!instructions && !options.noTools) return { type: 'response.create' };
  return {
    type: 'response.create',
    response: { ...(instructions ? { instructions } : {}), ...(options.noTools ? { tool_choice: 'none' as const } : {}) },
  };
}

/**
 * A line of an earlier session's conversation, carried into a fresh session as a
 * conversation item: data the model reads, never instructions the caller's words could steer.
 */
export function conversationLine(speaker: 'caller' | 'receptionist', text: string): ConversationItemCreateEvent {
  return speaker === 'caller'
    ? { type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } }
    : { type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] } };
}

export function truncateItem(itemId: string, audioEndMs: number): ConversationItemTruncateEvent {
  return { type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: audioEndMs };
}

export function functionCallOutput(callId: string, output: unknown): ConversationItemCreateEvent {
  return {
    type: 'conversation.item.create',
    item: { type: 'function_call_output', call_id: callId, output: JSON.stringify(output) },
  };
}

/**
 * A chunk of the model's speech: `item_id` and base64 `delta`, or null for any other event.
 * Not a signal: it is most of what a session receives (25 a second while the receptionist
 * speaks), so it has its own path to the caller, without an object made per chunk.
 */
export function modelAudio(event: ServerEvent): { item_id: string; delta: string } | null {
  return event.type === 'response.output_audio.delta' && typeof event.item_id === 'string' && typeof event.delta === 'string'
    ? (event as ServerEvent & { item_id: string; delta: string })
    : null;
}

/** Server events the engine acts on, other than model audio, reduced to what it needs from each. */
export type RealtimeSignal =
  | { kind: 'session-updated' }
  | { kind: 'audio-done'; itemId: string }
  | { kind: 'assistant-transcript'; itemId: string; text: string }
  | { kind: 'caller-transcript'; itemId: string; text: string }
  | { kind: 'speech-started' }
  | { kind: 'speech-stopped' }
  | { kind: 'function-call'; callId: string; name: string; arguments: string }
  | { kind: 'response-started' }
  | { kind: 'response-done'; status: string; reason?: string; errorType?: string; errorCode?: string; usage?: TokenUsage }
  | { kind: 'error'; code: string; message: string };

type ServerEvent = { type: string; [key: string]: unknown };

/** What one response used, as billed: text and audio in (of which cached), text and audio out. */
export interface TokenUsage {
  textIn: number;
  audioIn: number;
  cachedTextIn: number;
  cachedAudioIn: number;
  textOut: number;
  audioOut: number;
}

interface RawUsage {
  input_token_details?: { text_tokens?: number; audio_tokens?: number; cached_tokens_details?: { text_tokens?: number; audio_tokens?: number } };
  output_token_details?: { text_tokens?: number; audio_tokens?: number };
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

function tokenUsage(u: RawUsage): TokenUsage {
  return {
    textIn: count(u.input_token_details?.text_tokens),
    audioIn: count(u.input_token_details?.audio_tokens),
    cachedTextIn: count(u.input_token_details?.cached_tokens_details?.text_tokens),
    cachedAudioIn: count(u.input_token_details?.cached_tokens_details?.audio_tokens),
    textOut: count(u.output_token_details?.text_tokens),
    audioOut: count(u.output_token_details?.audio_tokens),
  };
}

function field(event: ServerEvent, key: string): string {
  const value = event[key];
  return typeof value === 'string' ? value : '';
}

export function toSignal(event: ServerEvent): RealtimeSignal | null {
  switch (event.type) {
    case 'session.updated':
      return { kind: 'session-updated' };
    case 'response.output_audio.done':
      return { kind: 'audio-done', itemId: field(event, 'item_id') };
    case 'response.output_audio_transcript.done':
      return { kind: 'assistant-transcript', itemId: field(event, 'item_id'), text: field(event, 'transcript') };
    case 'conversation.item.input_audio_transcription.completed':
      return { kind: 'caller-transcript', itemId: field(event, 'item_id'), text: field(event, 'transcript') };
    case 'input_audio_buffer.speech_started':
      return { kind: 'speech-started' };
    case 'input_audio_buffer.speech_stopped':
      return { kind: 'speech-stopped' };
    case 'response.function_call_arguments.done':
      return { kind: 'function-call', callId: field(event, 'call_id'), name: field(event, 'name'), arguments: field(event, 'arguments') };
    case 'response.created':
      return { kind: 'response-started' };
    case 'response.done': {
      const response = event.response as
        | { status?: string; status_details?: { reason?: string | null; error?: { type?: string | null; code?: string | null } | null } | null; usage?: RawUsage }
        | undefined;
      const details = response?.status_details ?? undefined;
      const signal: Extract<RealtimeSignal, { kind: 'response-done' }> = { kind: 'response-done', status: response?.status ?? 'unknown' };
      if (details?.reason) signal.reason = details.reason;
      if (details?.error?.type) signal.errorType = details.error.type;
      if (details?.error?.code) signal.errorCode = details.error.code;
      if (response?.usage) signal.usage = tokenUsage(response.usage);
      return signal;
    }
    case 'error': {
      const error = (event.error ?? {}) as { code?: string | null; type?: string; message?: string };
      return { kind: 'error', code: error.code ?? error.type ?? 'unknown', message: error.message ?? 'unknown error' };
    }
    default:
      return null;
  }
}
