import { describe, expect, it } from 'vitest';
import { base64ByteLength, clearMessage, markMessage, mediaMessage, MediaProtocolError, parseTwilioMessage } from '../../voice-engine/src/twilio/media-protocol.js';

const STREAM = 'MZ' + '1'.repeat(32);
const CALL = 'CA' + '2'.repeat(32);
const ACCOUNT = 'AC' + '3'.repeat(32);

describe('Twilio media stream messages', () => {
  it('reads a start message with its custom parameters', () => {
    const msg = parseTwilioMessage(JSON.stringify({
      event: 'start', sequenceNumber: '1', streamSid: STREAM,
      start: { streamSid: STREAM, callSid: CALL, accountSid: ACCOUNT, tracks: ['inbound'], customParameters: { callSid: CALL } },
    }));
    expect(msg).toEqual({ event: 'start', start: { streamSid: STREAM, callSid: CALL, accountSid: ACCOUNT, customParameters: { callSid: CALL } } });
  });

  it('reads media, mark, dtmf and stop', () => {
    const payload = Buffer.alloc(160, 0xff).toString('base64');
    expect(parseTwilioMessage(JSON.stringify({ event: 'media', media: { track: 'inbound', payload } }))).toEqual({ event: 'media', payload, track: 'inbound' });
    expect(parseTwilioMessage(JSON.stringify({ event: 'mark', mark: { name: '7' } }))).toEqual({ event: 'mark', name: '7' });
    expect(parseTwilioMessage(JSON.stringify({ event: 'dtmf', dtmf: { digit: '5' } }))).toEqual({ event: 'dtmf', digit: '5' });
    expect(parseTwilioMessage(JSON.stringify({ event: 'stop' }))).toEqual({ event: 'stop' });
  });

  it('reads a caller frame the same whether Twilio spells it compactly in its own order or otherwise', () => {
    const payload = Buffer.alloc(160, 0x7f).toString('base64');
    const compact = `{"event":"media","sequenceNumber":"42","media":{"track":"inbound","chunk":"41","timestamp":"820","payload":"${payload}"},"streamSid":"${STREAM}"}`;
    const reordered = JSON.stringify({ streamSid: STREAM, event: 'media', media: { payload, timestamp: '820', chunk: '41', track: 'inbound' }, sequenceNumber: '42' });
    const spaced = JSON.stringify(JSON.parse(compact), null, 2);
    const escaped = compact.replace(payload, payload.replaceAll('/', '\\/'));
    const expected = { event: 'media', payload, track: 'inbound', timestamp: 820 };
    for (const raw of [compact, reordered, spaced, escaped]) expect(parseTwilioMessage(raw)).toEqual(expected);
  });

  it('refuses a compact caller frame whose payload is not base64', () => {
    const raw = `{"event":"media","sequenceNumber":"1","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":"<b>hi</b>"},"streamSid":"${STREAM}"}`;
    expect(() => parseTwilioMessage(raw)).toThrow('not base64');
  });

  it.each([
    ['not json', 'not JSON'],
    ['[]', 'not an object'],
    ['{"event":"media","media":{"payload":"<script>"}}', 'not base64'],
    ['{"event":"start","start":{"streamSid":"x","callSid":"y","accountSid":"z"}}', 'not a Twilio sid'],
    ['{"event":"hello"}', 'unknown event'],
    ['{"event":"mark"}', 'not an object'],
  ])('rejects %s', (raw, reason) => {
    expect(() => parseTwilioMessage(raw)).toThrow(MediaProtocolError);
    expect(() => parseTwilioMessage(raw)).toThrow(reason);
  });

  it('writes outbound messages Twilio accepts', () => {
    const payload = Buffer.from([1, 2, 3]).toString('base64');
    expect(JSON.parse(mediaMessage(STREAM, payload))).toEqual({ event: 'media', streamSid: STREAM, media: { payload } });
    expect(JSON.parse(markMessage(STREAM, 'a"b'))).toEqual({ event: 'mark', streamSid: STREAM, mark: { name: 'a"b' } });
    expect(JSON.parse(clearMessage(STREAM))).toEqual({ event: 'clear', streamSid: STREAM });
  });

  it('counts audio bytes without decoding', () => {
    for (const n of [0, 1, 2, 3, 159, 160, 161]) expect(base64ByteLength(Buffer.alloc(n).toString('base64'))).toBe(n);
  });
});
