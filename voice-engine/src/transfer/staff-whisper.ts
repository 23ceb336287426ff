import type { StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { whisperSentence } from './whisper.js';

/** Tool arguments that carry the name the caller gave, most specific first. */
const NAME_ARGS = ['caller_name', 'patient_name', 'name'] as const;

/** The latest name the caller gave on this call, from the receptionist's tool calls. */
function nameGiven(store: Store, callId: number): string | null {
  for (const call of [...store.toolCalls.list(callId)].reverse()) {
    const args = call.arguments;
    if (typeof args !== 'object' || args === null) continue;
    for (const key of NAME_ARGS) {
      const value = (args as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  }
  return null;
}

/**
 * The whisper for a transfer staff start from the live card. Staff did not say why, so
 * the desk hears the caller's own last words, which is what a colleague would pass on.
 */
export function staffTransferWhisper(store: Store, call: StoredCall): string {
  const lastWords = [...store.transcripts.list(call.id)].reverse().find((l) => l.speaker === 'caller')?.text;
  return whisperSentence({
    callerName: nameGiven(store, call.id),
    callerNumber: call.fromNumber,
    reason: lastWords ? `put through from the dashboard; they last said: ${lastWords}` : 'put through from the dashboard',
    urgent: call.urgent !== null,
  });
}
