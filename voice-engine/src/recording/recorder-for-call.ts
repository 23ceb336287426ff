import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { Store } from '../store/index.js';
import { CallRecorder } from './call-recorder.js';

/** Tool memory: the caller said no to recording; a part of the call back from a transfer is not recorded either. */
export const RECORDING_DECLINED = 'recording.declined';

/** The recorder for a phone call, when the clinic records calls and this caller has not declined. */
export function recorderForCall(
  deps: { dataDir: string; store: Store; now: () => number; failed: (error: Error) => void },
  callId: number,
  knowledge: ClinicKnowledge,
  memory: ReadonlyMap<string, unknown>,
): CallRecorder | null {
  if (!knowledge.recording.enabled || memory.get(RECORDING_DECLINED)) return null;
  return new CallRecorder({ ...deps, callId });
}
