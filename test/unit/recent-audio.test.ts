import { describe, expect, it } from 'vitest';
import { RecentAudio } from '../../voice-engine/src/call/recent-audio.js';

/** A distinct 160-byte frame (20 ms of μ-law): byte k of frame n is (n * 7 + k) & 0xff. */
function frame(n: number, bytes = 160): string {
  return Buffer.from(Array.from({ length: bytes }, (_, k) => (n * 7 + k) & 0xff)).toString('base64');
}

describe('the caller audio kept for a session swap', () => {
  it('replays nothing before the caller has sent anything', () => {
    expect(new RecentAudio(15).replay()).toEqual([]);
  });

  it('replays every frame, oldest first, while fewer than the limit have come', () => {
    const recent = new RecentAudio(15);
    for (let n = 0; n < 4; n++) recent.push(frame(n));
    expect(recent.replay()).toEqual([frame(0), frame(1), frame(2), frame(3)]);
  });

  it('replays exactly the last frames, byte for byte, once many more have come', () => {
    const recent = new RecentAudio(15);
    for (let n = 0; n < 1000; n++) recent.push(frame(n));
    expect(recent.replay()).toEqual(Array.from({ length: 15 }, (_, i) => frame(985 + i)));
  });

  it('keeps a frame of another size as it came: shorter ones and ones larger than a slot', () => {
    const recent = new RecentAudio(3);
    recent.push(frame(1, 80));
    recent.push(frame(2, 400));
    recent.push(frame(3));
    recent.push(frame(4, 1));
    expect(recent.replay()).toEqual([frame(2, 400), frame(3), frame(4, 1)]);
    recent.push(frame(5));
    recent.push(frame(6));
    // The slot that held the large frame holds an ordinary one again.
    expect(recent.replay()).toEqual([frame(4, 1), frame(5), frame(6)]);
  });
});
