import { describe, expect, it } from 'vitest';
import { liveState } from '../../voice-engine/src/call/live-state.js';

const idle = { toolsRunning: false, responseActive: false, audioPlaying: false, greeted: false };

describe('what the Live calls card says the receptionist is doing', () => {
  it('greets until the greeting has played, then listens', () => {
    expect(liveState({ ...idle, responseActive: true })).toBe('greeting');
    expect(liveState({ ...idle, audioPlaying: true })).toBe('greeting');
    expect(liveState(idle)).toBe('listening');
  });

  it('speaks while a later reply is generated or still playing', () => {
    expect(liveState({ ...idle, greeted: true, responseActive: true })).toBe('speaking');
    expect(liveState({ ...idle, greeted: true, audioPlaying: true })).toBe('speaking');
    expect(liveState({ ...idle, greeted: true })).toBe('listening');
  });

  it('shows a running tool above everything else', () => {
    expect(liveState({ ...idle, greeted: true, toolsRunning: true, audioPlaying: true })).toBe('tool');
  });
});
