import { describe, expect, it } from 'vitest';
import { TwilioOutput, type MediaLink } from '../../voice-engine/src/call/twilio-output.js';

const SID = 'MZ' + 'ab'.repeat(16);

/** A media link that records what each socket write would carry. */
function recordingLink(withTogether: boolean): MediaLink & { writes: string[][] } {
  const writes: string[][] = [];
  let batch: string[] | null = null;
  const link: MediaLink & { writes: string[][] } = {
    writes,
    send: (message) => (batch ? batch.push(message) : writes.push([message])),
    close: () => undefined,
  };
  if (withTogether) {
    link.together = (sends) => {
      batch = [];
      try {
        sends();
      } finally {
        writes.push(batch);
        batch = null;
      }
    };
  }
  return link;
}

const events = (write: string[]) => write.map((m) => JSON.parse(m).event);

/** What playback sends for a chunk that completes a mark's worth of audio: the chunk, then its mark. */
function chunkAndMark(out: TwilioOutput): void {
  out.together(() => {
    out.send({ type: 'media', payload: '/w==' });
    out.send({ type: 'mark', name: '1' });
  });
}

describe('receptionist audio to Twilio', () => {
  it('a chunk and the mark after it leave in one write, in order', () => {
    const link = recordingLink(true);
    const out = new TwilioOutput();
    out.attach(link, SID);
    chunkAndMark(out);
    out.send({ type: 'media', payload: '/w==' });
    expect(link.writes.map(events)).toEqual([['media', 'mark'], ['media']]);
    expect(JSON.parse(link.writes[0]![1]!)).toEqual({ event: 'mark', streamSid: SID, mark: { name: '1' } });
  });

  it('a link that cannot write them together still gets every message, in order', () => {
    const link = recordingLink(false);
    const out = new TwilioOutput();
    out.attach(link, SID);
    chunkAndMark(out);
    expect(link.writes.map(events)).toEqual([['media'], ['mark']]);
  });

  it('audio made before the stream starts is held and sent when it does; a clear drops it', () => {
    const link = recordingLink(true);
    const out = new TwilioOutput();
    chunkAndMark(out);
    out.attach(link, SID);
    expect(link.writes.flat().map((m) => JSON.parse(m).event)).toEqual(['media', 'mark']);
    const late = new TwilioOutput();
    late.send({ type: 'media', payload: '/w==' });
    late.send({ type: 'clear', heardBytes: 0 });
    const other = recordingLink(true);
    late.attach(other, SID);
    expect(other.writes).toEqual([]);
  });
});
