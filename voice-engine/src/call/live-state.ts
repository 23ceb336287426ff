import type { LiveCallState } from '../contract-views.js';

/**
 * What staff see the receptionist doing on one call, derived from the bridge's facts rather
 * than tracked separately, and told only when it changes. Takes the facts as plain arguments
 * because it runs on the audio path: copying a facts object cost a slow V8 runtime call per
 * chunk of audio.
 */
export class ShownLiveState {
  private shown: LiveCallState = 'greeting';
  /** The greeting has been heard in full at least once: later replies are "speaking". */
  private greeted = false;

  constructor(private readonly changed: (state: LiveCallState) => void) {}

  get current(): LiveCallState {
    return this.shown;
  }

  /** `over`: the call has ended, so nothing more is shown. */
  update(toolsRunning: boolean, responseActive: boolean, audioPlaying: boolean, over: boolean): void {
    const next: LiveCallState = toolsRunning ? 'tool' : responseActive || audioPlaying ? (this.greeted ? 'speaking' : 'greeting') : 'listening';
    if (next === 'listening') this.greeted = true;
    if (next === this.shown || over) return;
    this.shown = next;
    this.changed(next);
  }
}
