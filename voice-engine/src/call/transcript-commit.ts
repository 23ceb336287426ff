import type { EngineEvents } from '../events.js';
import type { StorageHealth } from '../health/storage-health.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';

/**
 * One completed line of what was said: written on the storage thread, and reported to the
 * dashboard only once it is on disk. A write that fails (a full disk) is told to the status
 * bar and to the caller of this, never thrown; the next line that succeeds clears it.
 */
export function commitTranscriptLine(
  deps: { writer: StorageWriter; events: EngineEvents; storageHealth?: StorageHealth },
  line: { callId: number; speaker: 'caller' | 'receptionist'; text: string; interrupted: boolean },
  onError: (error: Error) => void,
): void {
  const text = line.text.trim();
  if (!text) return;
  deps.writer
    .appendLine({ callId: line.callId, speaker: line.speaker, text, interrupted: line.interrupted, spokenAt: Date.now() })
    .then((stored) => {
      deps.storageHealth?.ok('writes');
      deps.events.emit('transcript.line', stored);
    })
    .catch((err: Error) => {
      deps.storageHealth?.failed('writes', err.message);
      onError(err);
    });
}
