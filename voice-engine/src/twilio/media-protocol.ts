/**
 * Twilio Media Streams, bidirectional: the messages Twilio sends over the media
 * WebSocket, parsed and checked, and the ones we send back. Audio stays base64
 * μ-law end to end, so nothing here decodes or re-encodes it.
 */

export interface StartInfo {
  streamSid: string;
  callSid: string;
  accountSid: string;
  customParameters: Record<string, string>;
}

export type TwilioInbound =
  | { event: 'connected' }
  | { event: 'start'; start: StartInfo }
  | { event: 'media'; payload: string; track: string; /** ms since the stream started, as Twilio stamps it. */ timestamp?: number }
  | { event: 'mark'; name: string }
  | { event: 'dtmf'; digit: string }
  | { event: 'stop' };

export class MediaProtocolError extends Error {}

/** Twilio frames are 160 bytes; anything near this is not audio we should carry. */
export const MAX_MEDIA_MESSAGE_BYTES = 64 * 1024;

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MediaProtocolError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function str(obj: Record<string, unknown>, key: string, what: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new MediaProtocolError(`${what}.${key} is missing`);
  return value;
}

function sid(obj: Record<string, unknown>, key: string, what: string): string {
  const value = str(obj, key, what);
  if (!SID.test(value)) throw new MediaProtocolError(`${what}.${key} is not a Twilio sid`);
  return value;
}

function parameters(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const obj = record(value, 'start.customParameters');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * A caller frame exactly as Twilio writes it: compact JSON, keys in its documented order,
 * nothing escaped. Read with one regular expression rather than JSON.parse, which interns
 * every key and short value in V8's string table: in the engine's process, with thousands
 * of strings loaded, that was the largest single cost of a frame, and a frame comes 50
 * times a second per call. The payload must be base64 to match. Any other spelling of the
 * same message (order, spacing, escapes) falls through to the general parser below.
 */
const MEDIA_FRAME =
  /^\{"event":"media","sequenceNumber":"\d+","media":\{"track":"([a-z_]+)","chunk":"\d+","timestamp":"(\d+)","payload":"([A-Za-z0-9+/]*={0,2})"\},"streamSid":"[A-Z]{2}[0-9a-fA-F]{32}"\}$/;

export function parseTwilioMessage(raw: string): TwilioInbound {
  const frame = MEDIA_FRAME.exec(raw);
  if (frame) return { event: 'media', payload: frame[3]!, track: frame[1]!, timestamp: Number(frame[2]) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MediaProtocolError('message is not JSON');
  }
  const msg = record(parsed, 'message');
  switch (msg.event) {
    case 'connected':
      return { event: 'connected' };
    case 'start': {
      const start = record(msg.start, 'start');
      return {
        event: 'start',
        start: {
          streamSid: sid(start, 'streamSid', 'start'),
          callSid: sid(start, 'callSid', 'start'),
          accountSid: sid(start, 'accountSid', 'start'),
          customParameters: parameters(start.customParameters),
        },
      };
    }
    case 'media': {
      const media = record(msg.media, 'media');
      const payload = str(media, 'payload', 'media');
      if (!BASE64.test(payload)) throw new MediaProtocolError('media.payload is not base64');
      const stamp = typeof media.timestamp === 'string' || typeof media.timestamp === 'number' ? Number(media.timestamp) : NaN;
      // One object shape for every frame (no conditional spread): this runs 50 times a second per call.
      return { event: 'media', payload, track: typeof media.track === 'string' ? media.track : 'inbound', timestamp: Number.isFinite(stamp) ? stamp : undefined };
    }
    case 'mark':
      return { event: 'mark', name: str(record(msg.mark, 'mark'), 'name', 'mark') };
    case 'dtmf':
      return { event: 'dtmf', digit: str(record(msg.dtmf, 'dtmf'), 'digit', 'dtmf') };
    case 'stop':
      return { event: 'stop' };
    default:
      throw new MediaProtocolError(`unknown event ${JSON.stringify(msg.event)}`);
  }
}

// streamSid is checked against SID and payloads against base64 on the way in, and our
// own payloads come from base64 encoders, so plain interpolation cannot break the JSON.
export function mediaMessage(streamSid: string, payloadBase64: string): string {
  return `{"event":"media","streamSid":"${streamSid}","media":{"payload":"${payloadBase64}"}}`;
}

export function markMessage(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

export function clearMessage(streamSid: string): string {
  return `{"event":"clear","streamSid":"${streamSid}"}`;
}

/** Decoded byte length of a base64 string, without decoding it. */
export function base64ByteLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length * 3) / 4 - padding;
}

/** One media frame as Twilio streams it: 20 ms of 8 kHz μ-law. */
export const MEDIA_FRAME_BYTES = 160;

/** μ-law at 8 kHz: one byte is 1/8 ms. */
export function mulawBytesToMs(bytes: number): number {
  return Math.floor(bytes / 8);
}
