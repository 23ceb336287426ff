import OpenAI from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { loadKnowledge } from '../clinic/knowledge.js';
import type { EngineConfig } from '../config.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { buildInstructions } from '../realtime/instructions.js';
import { callerIdProven } from '../receptionist/caller-identity.js';
import type { Store } from '../store/index.js';
import type { SmsThread } from '../store/sms.js';
import { toSummary } from '../store/calls.js';
import { flagForFollowUp } from '../call/follow-up.js';
import { settleOutcome } from '../call/outcome.js';
import { runRecordedTools } from '../call/recorded-tools.js';
import type { ToolContext, ToolRegistry } from '../call/tools.js';
import type { SmsOutbox } from './sms-outbox.js';

/** A text thread cannot be put through to a person or hung up. */
const VOICE_ONLY_TOOLS = ['transfer_to_staff', 'end_call', 'report_urgent', 'stop_recording'] as const;
/** Tool rounds per text: enough to find, check and book; a loop past it is a model gone astray. */
const MAX_STEPS = 6;
/** The thread as the model sees it: the latest texts are what matter. */
const HISTORY = 30;
/** The SDK's own retries, with its exponential backoff, before the patient is told to wait. */
const RETRIES = 3;
export const SORRY_TEXT = 'Thanks for your text. We could not answer it just now; a member of our team will text you back soon.';

export interface AssistantDeps {
  config: EngineConfig;
  store: Store;
  tools: ToolRegistry;
  events: EngineEvents;
  outbox: SmsOutbox;
  log: Logger;
}

/**
 * The receptionist for texts: the same tools, rules and scheduling core as on the phone,
 * through the Responses API. One reply at a time per thread, in the order texts arrived;
 * nothing is invented when OpenAI fails: the patient is told the team will text back,
 * and the thread is flagged for staff.
 */
export class SmsAssistant {
  private readonly queues = new Map<number, Promise<void>>();
  /** What the tools remember per thread (times offered, the patient matched), as on a call. */
  private readonly memory = new Map<number, Map<string, unknown>>();

  constructor(private readonly deps: AssistantDeps) {}

  /**
   * Answers the thread's latest text once the replies before it are out. `note`: what the
   * text means that the model cannot see (an "R" to a reminder), given as a developer message.
   */
  handle(thread: SmsThread, note?: string): void {
    const before = this.queues.get(thread.callId) ?? Promise.resolve();
    const next = before
      .then(() => this.answer(thread, note))
      .catch((err: Error) => this.deps.log.error(`Text thread ${thread.callId}: ${err.message}`))
      .finally(() => {
        if (this.queues.get(thread.callId) === next) this.queues.delete(thread.callId);
      });
    this.queues.set(thread.callId, next);
  }

  private async answer(thread: SmsThread, note?: string): Promise<void> {
    const { store, log } = this.deps;
    let text: string;
    try {
      text = await this.compose(thread, note);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      store.systemErrors.record({ type: 'sms_assistant_failed', severity: 'error', callId: thread.callId, message: error.message, stack: error.stack ?? null, occurredAt: Date.now() });
      log.warn(`Text thread ${thread.callId}: no answer from OpenAI (${error.message}); the patient is told the team will text back`);
      flagForFollowUp(store, this.deps.events, thread.callId);
      await this.send(thread, SORRY_TEXT);
      return;
    }
    if (text) await this.send(thread, text);
    settleOutcome(store, thread.callId);
    const updated = store.calls.get(thread.callId);
    if (updated) this.deps.events.emit('call.updated', toSummary(updated));
  }

  private async send(thread: SmsThread, body: string): Promise<void> {
    try {
      await this.deps.outbox.send({ phone: thread.phone, from: thread.clinicNumber, body, author: 'assistant' });
    } catch (err) {
      this.deps.log.warn(`Text thread ${thread.callId}: the reply could not be sent: ${(err as Error).message}`);
      flagForFollowUp(this.deps.store, this.deps.events, thread.callId);
    }
  }

  /** Asks the model, running the tools it calls, until it writes the text to send. */
  private async compose(thread: SmsThread, note?: string): Promise<string> {
    const { config, store, tools } = this.deps;
    if (!config.openai.apiKey) throw new Error('OPENAI_API_KEY is not set');
    const client = new OpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseUrl ?? undefined, maxRetries: RETRIES });
    const knowledge = loadKnowledge(store);
    const input: ResponseInputItem[] = store.sms
      .messages(thread.callId)
      .slice(-HISTORY)
      .map((m) => ({ role: m.direction === 'inbound' ? ('user' as const) : ('assistant' as const), content: m.body }));
    if (note) input.push({ role: 'developer', content: note });
    const definitions = tools.definitions(VOICE_ONLY_TOOLS).map((t) => ({ type: 'function' as const, name: t.name ?? '', description: t.description ?? null, parameters: (t.parameters ?? null) as Record<string, unknown> | null, strict: false }));
    let memory = this.memory.get(thread.callId);
    if (!memory) this.memory.set(thread.callId, (memory = new Map()));
    for (let step = 0; step < MAX_STEPS; step++) {
      const response = await client.responses.create({
        model: config.openai.textModel,
        instructions: buildInstructions(knowledge, Date.now(), false, 'sms'),
        input,
        tools: definitions,
        store: false,
      });
      const calls = response.output.filter((o) => o.type === 'function_call');
      if (calls.length === 0) return response.output_text.trim();
      const context = (): ToolContext => ({
        callId: thread.callId,
        callSid: store.calls.get(thread.callId)?.callSid ?? '',
        callerNumber: thread.phone,
        clinicNumber: thread.clinicNumber,
        // A text's sender number is never network-verified: records need name and date of birth.
        callerIdProven: callerIdProven(null, knowledge.identity.trustUnverifiedCallerId),
        knowledge,
        now: Date.now(),
        memory: memory!,
        call: { hangUpAfterReply: () => undefined, transferAfterReply: () => undefined },
      });
      const outputs = await runRecordedTools(this.deps, thread.callId, calls.map((c) => ({ callId: c.call_id, name: c.name, arguments: c.arguments })), context);
      for (const c of calls) input.push({ type: 'function_call', call_id: c.call_id, name: c.name, arguments: c.arguments });
      for (const o of outputs) input.push({ type: 'function_call_output', call_id: o.callId, output: JSON.stringify(o.result) });
    }
    throw new Error(`the model called tools ${MAX_STEPS} times without writing a reply`);
  }
}
