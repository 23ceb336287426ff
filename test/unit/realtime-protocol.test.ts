import { describe, expect, it } from 'vitest';
import { modelAudio, toSignal } from '../../voice-engine/src/realtime/protocol.js';

/** A chunk of model speech as the Realtime API sends it. */
const DELTA = { type: 'response.output_audio.delta', event_id: 'event_1', response_id: 'resp_1', item_id: 'item_1', output_index: 0, content_index: 0, delta: '//8A/w==' };

describe('reading the Realtime server events', () => {
  it('reads a chunk of model speech as its item and base64 audio', () => {
    const audio = modelAudio(DELTA);
    expect(audio?.item_id).toBe('item_1');
    expect(audio?.delta).toBe('//8A/w==');
  });

  it('takes no other event for model speech, and no chunk without an item or audio', () => {
    expect(modelAudio({ type: 'response.output_audio.done', item_id: 'item_1' })).toBeNull();
    expect(modelAudio({ type: 'response.output_audio_transcript.delta', item_id: 'item_1', delta: 'Hel' })).toBeNull();
    expect(modelAudio({ ...DELTA, delta: undefined })).toBeNull();
    expect(modelAudio({ ...DELTA, item_id: 42 })).toBeNull();
  });

  it('leaves model speech out of the signals, so it has one path to the caller', () => {
    expect(toSignal(DELTA)).toBeNull();
    expect(toSignal({ type: 'response.output_audio.done', item_id: 'item_1' })).toEqual({ kind: 'audio-done', itemId: 'item_1' });
  });
});
