/**
 * Twilio Media Streams messages, Twilio -> application, as documented at
 * https://www.twilio.com/docs/voice/media-streams/websocket-messages. Every numeric-looking
 * field except mediaFormat is a string, as Twilio sends it. Built as template strings
 * because a media frame goes out 50 times a second per call and JSON.stringify of an
 * object per frame is measurable at 200 calls; every interpolated value is either
 * generated here (sids, counters, base64) or passed through JSON.stringify.
 */

export interface StreamIds {
  accountSid: string;
  callSid: string;
  streamSid: string;
}

export function connectedMessage(): string {
  return '{"event":"connected","protocol":"Call","version":"1.0.0"}';
}

export function startMessage(ids: StreamIds, seq: number, customParameters: Record<string, string>): string {
  return JSON.stringify({
    event: 'start',
    sequenceNumber: String(seq),
    start: {
      accountSid: ids.accountSid,
      streamSid: ids.streamSid,
      callSid: ids.callSid,
      tracks: ['inbound'],
      customParameters,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
    streamSid: ids.streamSid,
  });
}

export function mediaMessage(streamSid: string, seq: number, chunk: number, timestampMs: number, payloadB64: string): string {
  return (
    `{"event":"media","sequenceNumber":"${seq}","media":{"track":"inbound","chunk":"${chunk}",` +
    `"timestamp":"${timestampMs}","payload":"${payloadB64}"},"streamSid":"${streamSid}"}`
  );
}

export function dtmfMessage(streamSid: string, seq: number, digit: string): string {
  return JSON.stringify({ event: 'dtmf', streamSid, sequenceNumber: String(seq), dtmf: { track: 'inbound_track', digit } });
}

export function markMessage(streamSid: string, seq: number, name: string): string {
  return JSON.stringify({ event: 'mark', sequenceNumber: String(seq), streamSid, mark: { name } });
}

export function stopMessage(ids: StreamIds, seq: number): string {
  return JSON.stringify({
    event: 'stop',
    sequenceNumber: String(seq),
    streamSid: ids.streamSid,
    stop: { accountSid: ids.accountSid, callSid: ids.callSid },
  });
}
