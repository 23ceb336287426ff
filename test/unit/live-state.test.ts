import { describe, expect, it } from 'vitest';
import type { LiveCallState } from '../../voice-engine/src/contract-views.js';
import { ShownLiveState } from '../../voice-engine/src/call/live-state.js';

/** A Live calls card: every state it was told, in order. */
function card() {
  const told: LiveCallState[] = [];
  return { shown: new ShownLiveState((s) => told.push(s)), told };
}

describe('what the Live calls card says the receptionist is doing', () => {
  it('greets until the greeting has played, then listens, then speaks for later replies', () => {
    const { shown, told } = card();
    shown.update(false, true, false, false); // the greeting is generated
    shown.update(false, false, true, false); // and still playing
    expect(shown.current).toBe('greeting');
    shown.update(false, false, false, false);
    shown.update(false, true, false, false);
    shown.update(false, false, true, false);
    shown.update(false, false, false, false);
    expect(told).toEqual(['listening', 'speaking', 'listening']);
  });

  it('is told only when the state changes, not for every fact that moves', () => {
    const { shown, told } = card();
    shown.update(false, false, false, false);
    for (let i = 0; i < 5; i++) shown.update(false, i % 2 === 0, true, false);
    expect(told).toEqual(['listening', 'speaking']);
  });

  it('shows a running tool above everything else, and nothing once the call is over', () => {
    const { shown, told } = card();
    shown.update(true, true, true, false);
    shown.update(false, false, false, true);
    expect(told).toEqual(['tool']);
    expect(shown.current).toBe('tool');
  });
});
