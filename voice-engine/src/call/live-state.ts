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
  return stateOf(f.toolsRunning, f.responseActive, f.audioPlaying, f.greeted);
}

function stateOf(toolsRunning: boolean, responseActive: boolean, audioPlaying: boolean, greeted: boolean): LiveCallState {
  if (toolsRunning) return 'tool';
  if (responseActive || audioPlaying) return greeted ? 'speaking' : 'greeting';
  return 'listening';
}

/**
 * What staff see the receptionist doing on one call: told only when it changes. Takes the
 * facts as plain arguments because it runs on the audio path: copying a facts object with
 * `greeted` added cost a slow V8 runtime call per chunk of audio.
 */
export class ShownLiveState {
  private shown: LiveCallState = 'greeting';
  private greeted = false;

  constructor(private readonly changed: (state: LiveCallState) => void) {}

  get current(): LiveCallState {
    return this.shown;
  }

  /** `over`: the call has ended, so nothing more is shown. */
  update(toolsRunning: boolean, responseActive: boolean, audioPlaying: boolean, over: boolean): void {
    const next = stateOf(toolsRunning, responseActive, audioPlaying, this.greeted);
    if (next === 'listening') this.greeted = true;
    if (next === this.shown || over) return;
    this.shown = next;
    this.changed(next);
  }
}
