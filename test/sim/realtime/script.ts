/**
 * What a simulated Realtime session will "say": a greeting for the first
 * response.create and one turn per caller utterance the VAD detects.
 */

export type Reply =
  /** Assistant speech. Without `audio`, a voice-like signal unique to the session is generated. */
  | { say: string; audio?: Buffer }
  /**
   * A function call. The turn pauses until the client sends the matching
   * function_call_output and then response.create; the remaining replies then play.
   */
  | { call: string; arguments: Record<string, unknown> }
  /** Assistant audio = exactly the caller audio of the last utterance, transcript '(echo)'. */
  | { echo: true }
  /** Emit an `error` server event. */
  | { error: { type: string; code: string; message: string } }
  /** Destroy the socket without a close frame, as a failing upstream would. */
  | { drop: true }
  /**
   * A reply that fails: response.created, then response.done with this status and
   * status_details (quota gone, rate limited, server error, content filter...).
   */
  | { fail: { status: 'failed' | 'incomplete'; type?: string; code?: string; reason?: string } }
  /** The model goes quiet: no response at all to this turn. */
  | { silent: true };

export interface Turn {
  /** What input transcription reports the caller said. */
  user: string;
  replies: Reply[];
  /**
   * Server VAD only: how long after speech_stopped the model's response begins
   * (response.created), as OpenAI's own latency. A client response.create meanwhile is
   * refused, as the response already exists server-side. Default: at once.
   */
  respondAfterMs?: number;
}

export interface Script {
  /** Played on the first response.create from the client. */
  greeting?: Reply[];
  /** Each detected caller utterance consumes the next turn. */
  turns?: Turn[];
  /** What happens once the turns run out: 'filler' says "Mm-hm." (default); 'quiet' says nothing ever again. */
  afterScript?: 'filler' | 'quiet';
}

export type ScriptSource = Script | ((sessionIndex: number) => Script);

/** What the sim answers once a script has no turns (or greeting) left. */
export const FILLER_REPLIES: readonly Reply[] = [{ say: 'Mm-hm.' }];

/** Every later turn (and the filler) is silent: a model that goes quiet after N replies. */
export const QUIET: Reply[] = [{ silent: true }];

export const isSpoken = (r: Reply): r is { say: string; audio?: Buffer } | { echo: true } =>
  'say' in r || 'echo' in r;
