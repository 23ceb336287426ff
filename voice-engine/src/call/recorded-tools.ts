import { callerIdProven } from '../receptionist/caller-identity.js';
import type { EngineEvents } from '../events.js';
import type { Store } from '../store/index.js';
import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { StoredCall } from '../store/calls.js';
import type { AfterReply } from './after-reply.js';
import type { ToolContext, ToolRegistry } from './tools.js';

export interface ModelToolCall {
  /** The model's id for the call, echoed back with the output. */
  callId: string;
  name: string;
  arguments: string;
}

/**
 * Runs the model's function calls one by one, recording each before it runs and
 * again with its result, so staff see "Checking availability…" live and a crash
 * mid-tool still leaves a trace. Returns the outputs for the model, in order.
 */
export async function runRecordedTools(
  deps: { store: Store; events: EngineEvents; tools: ToolRegistry },
  callRecordId: number,
  calls: readonly ModelToolCall[],
  context: () => ToolContext,
): Promise<Array<{ callId: string; result: unknown }>> {
  const outputs: Array<{ callId: string; result: unknown }> = [];
  for (const call of calls) {
    const started = deps.store.toolCalls.start(callRecordId, call.callId, call.name, call.arguments, Date.now());
    deps.events.emit('tool.called', started);
    const outcome = await deps.tools.dispatch(call.name, call.arguments, context());
    const finished = deps.store.toolCalls.finish(started.id, outcome.status, outcome.result, Date.now());
    deps.events.emit('tool.called', finished);
    outputs.push({ callId: call.callId, result: outcome.result });
  }
  return outputs;
}

/** What a tool may know and do on a phone call: the caller, the clinic, and after-reply actions. */
export function phoneToolContext(
  call: StoredCall,
  knowledge: ClinicKnowledge,
  memory: Map<string, unknown>,
  afterReply: { request(action: AfterReply, announcedFirst?: boolean): void },
  recorder: { recording: boolean; discard(): Promise<void> } | null = null,
): ToolContext {
  return {
    callId: call.id,
    callSid: call.callSid,
    callerNumber: call.fromNumber,
    clinicNumber: call.toNumber,
    // A test call has no caller ID: whoever is at the dashboard proves who they are like anyone else.
    callerIdProven: call.testCall ? false : callerIdProven(call.stirVerstat, knowledge.identity.trustUnverifiedCallerId),
    testCall: call.testCall,
    knowledge,
    now: Date.now(),
    memory,
    call: {
      hangUpAfterReply: (options) => afterReply.request({ kind: 'hang-up' }, options?.announcedFirst === true),
      transferAfterReply: (to, options) => afterReply.request({ kind: 'transfer', to, whisper: options?.whisper }, options?.announcedFirst === true),
      stopRecording: () => {
        const was = recorder?.recording === true;
        recorder?.discard().catch(() => undefined);
        return was;
      },
    },
  };
}
