import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime.mjs';
import { invalidRequest, isPlainObject, mergeSession, type SimError } from './events.js';
import { checkDeclaredTools } from './tool-schema.js';

/** The voices the GA Realtime API offers; any other name is refused. */
export const VOICES: ReadonlySet<string> = new Set(['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar']);

/**
 * The session configuration a GA Realtime server starts with, and the checks a
 * session.update must pass. The sim is stricter than the real server in one way:
 * a Twilio bridge must use audio/pcmu both ways, so anything else is an error
 * the engine's tests will see.
 */

export class ConfigError extends Error {
  constructor(readonly error: SimError) {
    super(error.message);
  }
}

export function defaultSessionConfig(model: string): Record<string, unknown> {
  return {
    type: 'realtime',
    model,
    output_modalities: ['audio'],
    instructions: '',
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: {
          type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500,
          idle_timeout_ms: null, create_response: true, interrupt_response: true,
        },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1 },
    },
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    include: null,
  };
}

/** What session.created / session.updated carry: the config plus the server-owned fields. */
export function sessionView(s: { id: string; model: string; config: Record<string, unknown> }): RealtimeSessionCreateRequest {
  const view = {
    ...s.config,
    id: s.id,
    object: 'realtime.session',
    model: s.model,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
  };
  // id/object/expires_at are real server fields the SDK's request type does not declare.
  return view as unknown as RealtimeSessionCreateRequest;
}

export interface TurnDetection {
  type?: string;
  silence_duration_ms?: number;
  create_response?: boolean;
  interrupt_response?: boolean;
}

/** null means the client turned server VAD off and commits by itself. */
export function turnDetection(config: Record<string, unknown>): TurnDetection | null {
  const input = (config.audio as { input?: { turn_detection?: unknown } } | undefined)?.input;
  const td = input?.turn_detection;
  return isPlainObject(td) ? (td as TurnDetection) : null;
}

/** Returns the merged config, or throws ConfigError with the error event the server would send. */
export function validateUpdate(current: Record<string, unknown>, session: unknown): Record<string, unknown> {
  if (!isPlainObject(session)) {
    throw new ConfigError(invalidRequest('missing_required_parameter', "Missing required parameter: 'session'."));
  }
  if (session.type === undefined) {
    throw new ConfigError(invalidRequest('missing_required_parameter', "Missing required parameter: 'session.type'."));
  }
  if (session.type !== 'realtime') {
    throw new ConfigError(invalidRequest('invalid_value',
      `Invalid value: '${String(session.type)}'. The realtime sim only accepts session.type 'realtime'.`));
  }
  const toolProblem = checkDeclaredTools(session.tools);
  if (toolProblem) throw new ConfigError(toolProblem);
  const merged = mergeSession(current, session);
  const voice = (merged.audio as { output?: { voice?: unknown } } | undefined)?.output?.voice;
  if (typeof voice !== 'string' || !VOICES.has(voice)) {
    throw new ConfigError(invalidRequest('invalid_value',
      `Invalid value: '${String(voice)}'. Supported values are: ${[...VOICES].map((v) => `'${v}'`).join(', ')}.`, 'session.audio.output.voice'));
  }
  for (const dir of ['input', 'output'] as const) {
    const format = (merged.audio as Record<string, { format?: { type?: unknown } } | undefined> | undefined)?.[dir]?.format?.type;
    if (format !== 'audio/pcmu') {
      throw new ConfigError(invalidRequest('invalid_value',
        `session.audio.${dir}.format.type is '${String(format)}'; a Twilio bridge must use 'audio/pcmu' (8 kHz μ-law)`));
    }
  }
  return merged;
}
