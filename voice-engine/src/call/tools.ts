import type { TestCallDiary } from '../contract.js';
import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { TransferWhisper } from './after-reply.js';

/**
 * What a tool may ask of the call it runs in; both happen once the caller has heard the
 * reply. `announcedFirst`: the tool's description has the model announce it (goodbye,
 * "putting you through") in the reply that calls it, so when that reply spoke, no second
 * reply is asked for.
 */
export interface CallActions {
  hangUpAfterReply(options?: { announcedFirst?: boolean }): void;
  /** `whisper`: what the front desk hears before taking the call (the caller's name if given, and why). */
  transferAfterReply(to: string, options?: { announcedFirst?: boolean; whisper?: TransferWhisper }): void;
  /** The caller declined recording: stop it and keep nothing of it. True when the call was being recorded. Phone calls only. */
  stopRecording?(): boolean;
}

export interface ToolContext {
  callId: number;
  callSid: string;
  /** The caller's number as Twilio gave it: tools may use it, logs may not. */
  callerNumber: string;
  /** The clinic's Twilio number the caller dialled: texts about this call are sent from it. */
  clinicNumber: string;
  /** The caller's number is proven theirs (STIR/SHAKEN, or the clinic trusts caller ID): records may be found by it. */
  callerIdProven: boolean;
  /** The clinic as it was configured when the call started. */
  knowledge: ClinicKnowledge;
  now: number;
  call: CallActions;
  /** Per-call scratch space, e.g. which appointments the caller has been matched to. */
  memory: Map<string, unknown>;
  /** A test call from the dashboard, and the diary it books into; absent or null for a real caller. */
  testCall?: TestCallDiary | null;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema for the arguments, as the model sees it. */
  parameters: Record<string, unknown>;
  run(args: Record<string, unknown>, context: ToolContext): Promise<unknown> | unknown;
}

export type ToolOutcome = { status: 'ok' | 'error'; result: unknown };

/**
 * The functions offered to the model. Whatever a tool does, dispatch always produces a
 * result the model can speak from, so a failing tool never leaves the caller in silence.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, ToolDefinition>();

  register(tool: ToolDefinition): void {
    if (this.tools.has(tool.name)) throw new Error(`Tool "${tool.name}" is already registered`);
    this.tools.set(tool.name, tool);
  }

  /** `except`: tools a channel cannot use (a text thread cannot be transferred or hung up). */
  definitions(except: readonly string[] = []): RealtimeFunctionTool[] {
    return [...this.tools.values()].filter((t) => !except.includes(t.name)).map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters }));
  }

  async dispatch(name: string, rawArguments: string, context: ToolContext): Promise<ToolOutcome> {
    const tool = this.tools.get(name);
    if (!tool) {
      return { status: 'error', result: { error: 'unknown_tool', say: 'Sorry, I can’t do that over the phone. I can take a message for the team.' } };
    }
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = rawArguments ? JSON.parse(rawArguments) : {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('arguments are not an object');
      args = parsed as Record<string, unknown>;
    } catch {
      return { status: 'error', result: { error: 'invalid_arguments', say: 'Sorry, could you tell me that again?' } };
    }
    try {
      return { status: 'ok', result: await tool.run(args, context) };
    } catch (err) {
      return {
        status: 'error',
        result: { error: 'tool_failed', message: err instanceof Error ? err.message : String(err), say: 'Sorry, something went wrong on my side. I can take a message and have the team call you back.' },
      };
    }
  }
}
