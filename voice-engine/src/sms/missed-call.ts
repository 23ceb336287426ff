import { loadKnowledge } from '../clinic/knowledge.js';
import type { Store } from '../store/index.js';

/**
 * After a phone call that ended in the voicemail or before the caller was helped, one text
 * inviting a reply (a setting, off by default). Once per call; the job waits for the clinic's
 * sending hours and never goes to a number that replied STOP.
 */
export function queueMissedCallText(store: Store, callId: number, now: number): boolean {
  if (!loadKnowledge(store, now).texting.missedCallTextBack) return false;
  const call = store.calls.get(callId);
  if (!call || call.channel !== 'voice') return false;
  const missed = call.outcome === 'abandoned' || call.fallback === 'voicemail' || store.voicemails.listForCall(callId).length > 0;
  if (!missed || !/^\+[1-9]\d{6,14}$/.test(call.fromNumber)) return false;
  return store.textJobs.add({ kind: 'missed_call', callId, phone: call.fromNumber, dueAt: now }, now);
}
