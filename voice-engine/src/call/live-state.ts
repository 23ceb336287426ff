import type { LiveCallState } from '../contract-views.js';

export interface LiveStateFacts {
  toolsRunning: boolean;
  responseActive: boolean;
  audioPlaying: boolean;
  /** The greeting has been heard in full at least once. */
  greeted: boolean;
}

/** What the receptionist is doing, derived from the bridge's facts rather than tracked separately. */
export function liveState(f: LiveStateFacts): LiveCallState {
  if (f.toolsRunning) return 'tool';
  if (f.responseActive || f.audioPlaying) return f.greeted ? 'speaking' : 'greeting';
  return 'listening';
}
