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
    const tracker = new PlaybackTracker(1);
    const actions = tracker.audioDelta('item_1', audio(320), 0);
    expect(actions.map((a) => a.type)).toEqual(['media', 'mark']);
    expect(actions[0]).toEqual({ type: 'media', payload: audio(320) });
    expect(tracker.isPlaying).toBe(true);
  });

  it('truncates at exactly the audio Twilio confirmed as played', () => {
    const tracker = new PlaybackTracker(1);
    const first = markName(tracker.audioDelta('item_1', audio(800), 0)); // 100 ms
    const second = markName(tracker.audioDelta('item_1', audio(800), 0)); // 200 ms
    tracker.audioDelta('item_1', audio(800), 0); // 300 ms, not yet played
    tracker.markPlayed(first, 0);
    tracker.markPlayed(second, 0);
    expect(tracker.speechStarted(0)).toEqual([
      { type: 'clear', heardBytes: 1600 },
      { type: 'truncate', itemId: 'item_1', audioEndMs: 200 },
    ]);
  });

  it('reports zero heard when the caller interrupts before any audio played', () => {
    const tracker = new PlaybackTracker(1);
    tracker.audioDelta('item_1', audio(1600), 0);
    expect(tracker.speechStarted(0)).toEqual([{ type: 'clear', heardBytes: 0 }, { type: 'truncate', itemId: 'item_1', audioEndMs: 0 }]);
  });

  it('treats a later mark as proof that earlier ones played', () => {
    const tracker = new PlaybackTracker(1);
    tracker.audioDelta('item_1', audio(400), 0);
    const second = markName(tracker.audioDelta('item_1', audio(400), 0));
    tracker.markPlayed(second, 0);
    expect(tracker.isPlaying).toBe(false);
    const actions = tracker.speechStarted(0);
    expect(actions).toContainEqual({ type: 'truncate', itemId: 'item_1', audioEndMs: 100 });
  });

  it('ignores marks Twilio returns for audio that was cleared', () => {
    const tracker = new PlaybackTracker(1);
    const played = markName(tracker.audioDelta('item_1', audio(800), 0));
    const cleared = markName(tracker.audioDelta('item_1', audio(800), 0));
    tracker.markPlayed(played, 0);
    tracker.speechStarted(0);
    tracker.markPlayed(cleared, 0); // Twilio echoes pending marks when it clears
    const next = tracker.audioDelta('item_2', audio(800), 0);
    expect(next.map((a) => a.type)).toEqual(['media', 'mark']);
    expect(tracker.speechStarted(0)).toContainEqual({ type: 'truncate', itemId: 'item_2', audioEndMs: 0 });
  });

  it('drops late audio for an item the caller already cut off', () => {
    const tracker = new PlaybackTracker(1);
    tracker.audioDelta('item_1', audio(800), 0);
    tracker.speechStarted(0);
    expect(tracker.audioDelta('item_1', audio(800), 0)).toEqual([]);
    expect(tracker.wasInterrupted('item_1')).toBe(true);
    expect(tracker.wasInterrupted('item_2')).toBe(false);
  });

  it('does nothing on speech when the receptionist has finished and been heard', () => {
    const tracker = new PlaybackTracker(1);
    const mark = markName(tracker.audioDelta('item_1', audio(800), 0));
    tracker.audioDone('item_1');
    tracker.markPlayed(mark, 0);
    expect(tracker.speechStarted(0)).toEqual([]);
    expect(tracker.wasInterrupted('item_1')).toBe(false);
  });

  it('still truncates a reply whose audio all played but is still being generated', () => {
    const tracker = new PlaybackTracker(1);
    const mark = markName(tracker.audioDelta('item_1', audio(800), 0));
    tracker.markPlayed(mark, 0);
    expect(tracker.speechStarted(0)).toEqual([{ type: 'clear', heardBytes: 800 }, { type: 'truncate', itemId: 'item_1', audioEndMs: 100 }]);
  });

  it('counts audio per item, so a new reply starts from zero', () => {
    const tracker = new PlaybackTracker(1);
    const a = markName(tracker.audioDelta('item_1', audio(800), 0));
    tracker.audioDone('item_1');
    tracker.markPlayed(a, 0);
    const b = markName(tracker.audioDelta('item_2', audio(400), 0));
    tracker.audioDelta('item_2', audio(400), 0);
    tracker.markPlayed(b, 0);
    expect(tracker.speechStarted(0)).toEqual([{ type: 'clear', heardBytes: 800 + 400 }, { type: 'truncate', itemId: 'item_2', audioEndMs: 50 }]);
  });

  it('adds the time since the last echoed mark, since Twilio plays in real time between marks', () => {
    const tracker = new PlaybackTracker(1);
    const first = markName(tracker.audioDelta('item_1', audio(800), 0)); // 0-100 ms
    tracker.audioDelta('item_1', audio(800), 1); // 100-200 ms
    tracker.audioDelta('item_1', audio(800), 2); // 200-300 ms
    tracker.markPlayed(first, 100);
    // 73 ms after the first mark came back, 173 ms of the reply had been heard.
    expect(tracker.speechStarted(173)).toEqual([{ type: 'clear', heardBytes: 173 * 8 }, { type: 'truncate', itemId: 'item_1', audioEndMs: 173 }]);
  });

  it('never reports more heard than was sent', () => {
    const tracker = new PlaybackTracker(1);
    const first = markName(tracker.audioDelta('item_1', audio(800), 0));
    tracker.audioDelta('item_1', audio(400), 0); // 100-150 ms
    tracker.markPlayed(first, 100);
    expect(tracker.speechStarted(400)).toContainEqual({ type: 'truncate', itemId: 'item_1', audioEndMs: 150 });
  });

  it('counts from when audio reached Twilio, not from an old echo, after a pause in the reply', () => {
    const tracker = new PlaybackTracker(1);
    const first = markName(tracker.audioDelta('item_1', audio(800), 0));
    tracker.markPlayed(first, 100);
    tracker.audioDelta('item_1', audio(800), 600); // the model paused; the next chunk plays from 600 ms
    expect(tracker.speechStarted(630)).toContainEqual({ type: 'truncate', itemId: 'item_1', audioEndMs: 130 });
  });

  it('counts the greeting from when the stream started, not from when it was generated', () => {
    const tracker = new PlaybackTracker(1);
    tracker.audioDelta('item_1', audio(1600), 0); // generated before Twilio's stream existed
    tracker.streamStarted(900);
    expect(tracker.speechStarted(950)).toContainEqual({ type: 'truncate', itemId: 'item_1', audioEndMs: 50 });
  });

  it('interrupting item A with item B queued truncates A at what was heard and B at 0', () => {
    const tracker = new PlaybackTracker(1);
    const a1 = markName(tracker.audioDelta('item_A', audio(800), 0));
    tracker.audioDelta('item_A', audio(800), 0);
    tracker.audioDone('item_A');
    tracker.audioDelta('item_B', audio(800), 5);
    tracker.markPlayed(a1, 100);
    expect(tracker.speechStarted(140)).toEqual([
      { type: 'clear', heardBytes: 140 * 8 },
      { type: 'truncate', itemId: 'item_A', audioEndMs: 140 },
      { type: 'truncate', itemId: 'item_B', audioEndMs: 0 },
    ]);
    expect(tracker.wasInterrupted('item_B')).toBe(true);
  });

  it('marks every 500 ms of audio and at the end of a reply, not every chunk', () => {
    const tracker = new PlaybackTracker();
    const chunks = Array.from({ length: 15 }, (_, i) => i); // 600 ms in 40 ms chunks
    const types = chunks.flatMap((i) => tracker.audioDelta('item_1', audio(320), i * 40).map((a) => a.type));
    expect(types.filter((t) => t === 'mark')).toHaveLength(1); // after 520 ms
    expect(tracker.audioDone('item_1')).toEqual([{ type: 'mark', name: '2' }]);
    expect(tracker.flush()).toEqual([]);
    tracker.markPlayed('1', 520);
    expect(tracker.isPlaying).toBe(true);
    tracker.markPlayed('2', 600);
    expect(tracker.isPlaying).toBe(false);
  });

  it('between sparse marks, the time since the last echo still says what was heard', () => {
    const tracker = new PlaybackTracker();
    for (let i = 0; i < 25; i++) tracker.audioDelta('item_1', audio(320), 0); // 1 s sent at once, marks after 520 ms and 1 s
    tracker.markPlayed('1', 520);
    expect(tracker.speechStarted(790)).toEqual([{ type: 'clear', heardBytes: 790 * 8 }, { type: 'truncate', itemId: 'item_1', audioEndMs: 790 }]);
  });
});
