import { describe, expect, it } from 'vitest';
import { PlaybackPath } from '../../voice-engine/src/call/playback-path.js';
import { PlaybackTracker } from '../../voice-engine/src/call/playback.js';
import { TwilioOutput } from '../../voice-engine/src/call/twilio-output.js';

const SID = 'MZ' + 'cd'.repeat(16);
/** 40 ms of μ-law, base64. */
const CHUNK = Buffer.alloc(320, 0xff).toString('base64');

/** A path on a live stream, with everything it sent and every change it reported. */
function rig(markEveryBytes = 800) {
  const toTwilio: Array<{ event: string; mark?: { name: string } }> = [];
  const toModel: unknown[] = [];
  let changes = 0;
  const twilio = new TwilioOutput();
  twilio.attach({ send: (m) => toTwilio.push(JSON.parse(m)), close: () => undefined }, SID);
  const path = new PlaybackPath(twilio, (e) => toModel.push(e), () => changes++, new PlaybackTracker(markEveryBytes));
  return { path, toTwilio, toModel, changes: () => changes };
}

describe('the receptionist audio path', () => {
  it('reports playing once when a reply starts and once when its last mark is echoed, not per chunk', () => {
    const { path, toTwilio, changes } = rig();
    for (let i = 0; i < 7; i++) path.audioDelta('item_1', CHUNK, i * 40);
    path.flush();
    expect(changes()).toBe(1);
    const marks = toTwilio.filter((m) => m.event === 'mark').map((m) => m.mark!.name);
    expect(marks).toEqual(['1', '2', '3']); // after 120 and 240 ms (every 100 ms here), and at the reply's end
    path.markPlayed('1', 120);
    path.markPlayed('2', 240);
    expect(path.isPlaying).toBe(true);
    expect(changes()).toBe(1);
    path.markPlayed('3', 280);
    expect(path.isPlaying).toBe(false);
    expect(changes()).toBe(2);
    path.markPlayed('3', 290); // an echo already seen changes nothing
    expect(changes()).toBe(2);
  });

  it('a barge-in clears Twilio, tells the model how much was heard, and reports the change', () => {
    const { path, toTwilio, toModel, changes } = rig();
    for (let i = 0; i < 5; i++) path.audioDelta('item_1', CHUNK, 0);
    path.speechStarted(120);
    expect(toTwilio.at(-1)!.event).toBe('clear');
    expect(toModel).toEqual([{ type: 'conversation.item.truncate', item_id: 'item_1', content_index: 0, audio_end_ms: 120 }]);
    expect(path.wasInterrupted('item_1')).toBe(true);
    expect(path.isPlaying).toBe(false);
    expect(changes()).toBe(2);
    const sent = toTwilio.length;
    path.audioDelta('item_1', CHUNK, 130); // the rest of the reply the caller cut off
    expect(toTwilio).toHaveLength(sent);
    expect(path.isPlaying).toBe(false);
    expect(changes()).toBe(2);
  });
});
