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

/** What staff see the receptionist doing on one call: told only when it changes. */
export class ShownLiveState {
  private shown: LiveCallState = 'greeting';
  private greeted = false;

  constructor(private readonly changed: (state: LiveCallState) => void) {}

  get current(): LiveCallState {
    return this.shown;
  }

  /** `over`: the call has ended, so nothing more is shown. */
  update(facts: Omit<LiveStateFacts, 'greeted'>, over: boolean): void {
    const next = liveState({ ...facts, greeted: this.greeted });
    if (next === 'listening') this.greeted = true;
    if (next === this.shown || over) return;
    this.shown = next;
    this.changed(next);
  }
}
