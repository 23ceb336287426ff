import { describe, expect, it } from 'vitest';
import { PlaybackTracker, type PlaybackAction } from '../../voice-engine/src/call/playback.js';

/** base64 of n bytes of μ-law, as the Realtime API would send it. */
function audio(bytes: number): string {
  return Buffer.alloc(bytes, 0x55).toString('base64');
}

function markName(actions: PlaybackAction[]): string {
  const mark = actions.find((a) => a.type === 'mark');
  if (!mark || mark.type !== 'mark') throw new Error('no mark');
  return mark.name;
}

describe('playback tracking and barge-in', () => {
  it('forwards each audio chunk followed by a mark', () => {
    const tracker = new PlaybackTracker();
    const actions = tracker.audioDelta('item_1', audio(320));
    expect(actions.map((a) => a.type)).toEqual(['media', 'mark']);
    expect(actions[0]).toEqual({ type: 'media', payload: audio(320) });
    expect(tracker.isPlaying).toBe(true);
  });

  it('truncates at exactly the audio Twilio confirmed as played', () => {
    const tracker = new PlaybackTracker();
    const first = markName(tracker.audioDelta('item_1', audio(800))); // 100 ms
    const second = markName(tracker.audioDelta('item_1', audio(800))); // 200 ms
    tracker.audioDelta('item_1', audio(800)); // 300 ms, not yet played
    tracker.markPlayed(first);
    tracker.markPlayed(second);
    expect(tracker.speechStarted()).toEqual([
      { type: 'clear' },
      { type: 'truncate', itemId: 'item_1', audioEndMs: 200 },
    ]);
  });

  it('reports zero heard when the caller interrupts before any audio played', () => {
    const tracker = new PlaybackTracker();
    tracker.audioDelta('item_1', audio(1600));
    expect(tracker.speechStarted()).toEqual([{ type: 'clear' }, { type: 'truncate', itemId: 'item_1', audioEndMs: 0 }]);
  });

  it('treats a later mark as proof that earlier ones played', () => {
    const tracker = new PlaybackTracker();
    tracker.audioDelta('item_1', audio(400));
    const second = markName(tracker.audioDelta('item_1', audio(400)));
    tracker.markPlayed(second);
    expect(tracker.isPlaying).toBe(false);
    const actions = tracker.speechStarted();
    expect(actions).toContainEqual({ type: 'truncate', itemId: 'item_1', audioEndMs: 100 });
  });

  it('ignores marks Twilio returns for audio that was cleared', () => {
    const tracker = new PlaybackTracker();
    const played = markName(tracker.audioDelta('item_1', audio(800)));
    const cleared = markName(tracker.audioDelta('item_1', audio(800)));
    tracker.markPlayed(played);
    tracker.speechStarted();
    tracker.markPlayed(cleared); // Twilio echoes pending marks when it clears
    const next = tracker.audioDelta('item_2', audio(800));
    expect(next.map((a) => a.type)).toEqual(['media', 'mark']);
    expect(tracker.speechStarted()).toContainEqual({ type: 'truncate', itemId: 'item_2', audioEndMs: 0 });
  });

  it('drops late audio for an item the caller already cut off', () => {
    const tracker = new PlaybackTracker();
    tracker.audioDelta('item_1', audio(800));
    tracker.speechStarted();
    expect(tracker.audioDelta('item_1', audio(800))).toEqual([]);
    expect(tracker.wasInterrupted('item_1')).toBe(true);
    expect(tracker.wasInterrupted('item_2')).toBe(false);
  });

  it('does nothing on speech when the receptionist has finished and been heard', () => {
    const tracker = new PlaybackTracker();
    const mark = markName(tracker.audioDelta('item_1', audio(800)));
    tracker.audioDone('item_1');
    tracker.markPlayed(mark);
    expect(tracker.speechStarted()).toEqual([]);
    expect(tracker.wasInterrupted('item_1')).toBe(false);
  });

  it('still truncates a reply whose audio all played but is still being generated', () => {
    const tracker = new PlaybackTracker();
    const mark = markName(tracker.audioDelta('item_1', audio(800)));
    tracker.markPlayed(mark);
    expect(tracker.speechStarted()).toEqual([{ type: 'clear' }, { type: 'truncate', itemId: 'item_1', audioEndMs: 100 }]);
  });

  it('counts audio per item, so a new reply starts from zero', () => {
    const tracker = new PlaybackTracker();
    const a = markName(tracker.audioDelta('item_1', audio(800)));
    tracker.audioDone('item_1');
    tracker.markPlayed(a);
    const b = markName(tracker.audioDelta('item_2', audio(400)));
    tracker.audioDelta('item_2', audio(400));
    tracker.markPlayed(b);
    expect(tracker.speechStarted()).toContainEqual({ type: 'truncate', itemId: 'item_2', audioEndMs: 50 });
  });
});
