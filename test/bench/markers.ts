/**
 * Frame markers: an identity written into the first bytes of an audio frame using only
 * near-silent μ-law values (0xF0|nibble decodes to amplitude 0..120, far below the
 * simulator VAD's 200 RMS), so a marked frame is still "silence" to the VAD while any
 * hop can tell exactly which frame it carries.
 *
 * Layout (13 bytes, one nibble each): 4 magic nibbles, 3 nibbles of owner (call or
 * session index, < 4096), 5 nibbles of sequence (< 1,048,576), 1 checksum nibble.
 */

export const MARKER_BYTES = 13;
export const MAX_OWNER = 0xfff;
export const MAX_SEQ = 0xfffff;

/** Caller frames (Twilio -> engine -> Realtime) and reply chunks (Realtime -> engine -> Twilio). */
export const CALLER_MAGIC = [0xa, 0x5, 0xc, 0x3] as const;
export const REPLY_MAGIC = [0x5, 0xa, 0x3, 0xc] as const;

type Magic = readonly [number, number, number, number];

const NIBBLE_BASE = 0xf0;

function checksum(owner: number, seq: number): number {
  let x = 0x9;
  for (let v = owner, i = 0; i < 3; i++, v >>>= 4) x ^= v & 0xf;
  for (let v = seq, i = 0; i < 5; i++, v >>>= 4) x = (((x << 1) | (x >>> 3)) & 0xf) ^ (v & 0xf);
  return x;
}

/** Writes the marker at buf[offset..offset+13). No allocation. */
export function writeMarker(buf: Buffer, offset: number, magic: Magic, owner: number, seq: number): void {
  if (owner < 0 || owner > MAX_OWNER || seq < 0 || seq > MAX_SEQ) throw new RangeError(`marker out of range: ${owner}/${seq}`);
  buf[offset] = NIBBLE_BASE | magic[0];
  buf[offset + 1] = NIBBLE_BASE | magic[1];
  buf[offset + 2] = NIBBLE_BASE | magic[2];
  buf[offset + 3] = NIBBLE_BASE | magic[3];
  for (let i = 0; i < 3; i++) buf[offset + 4 + i] = NIBBLE_BASE | ((owner >>> (8 - 4 * i)) & 0xf);
  for (let i = 0; i < 5; i++) buf[offset + 7 + i] = NIBBLE_BASE | ((seq >>> (16 - 4 * i)) & 0xf);
  buf[offset + 12] = NIBBLE_BASE | checksum(owner, seq);
}

export interface Marker {
  owner: number;
  seq: number;
}

/**
 * Reads a marker at the start of buf into `out`; false when there is none (silence,
 * speech, corruption). Allocation-free so it can run on every frame.
 */
export function readMarker(buf: Buffer, magic: Magic, out: Marker): boolean {
  if (buf.length < MARKER_BYTES) return false;
  for (let i = 0; i < MARKER_BYTES; i++) if ((buf[i]! & 0xf0) !== NIBBLE_BASE) return false;
  if ((buf[0]! & 0xf) !== magic[0] || (buf[1]! & 0xf) !== magic[1] || (buf[2]! & 0xf) !== magic[2] || (buf[3]! & 0xf) !== magic[3]) {
    return false;
  }
  let owner = 0;
  for (let i = 4; i < 7; i++) owner = (owner << 4) | (buf[i]! & 0xf);
  let seq = 0;
  for (let i = 7; i < 12; i++) seq = (seq << 4) | (buf[i]! & 0xf);
  if ((buf[12]! & 0xf) !== checksum(owner, seq)) return false;
  out.owner = owner;
  out.seq = seq;
  return true;
}

/**
 * Near-silent receptionist audio of `chunks` chunks of `chunkBytes`, each chunk starting
 * with a reply marker (session, firstSeq + k). Everything else is μ-law silence.
 */
export function markedReplyAudio(session: number, firstSeq: number, chunks: number, chunkBytes: number): Buffer {
  const buf = Buffer.alloc(chunks * chunkBytes, 0xff);
  for (let k = 0; k < chunks; k++) writeMarker(buf, k * chunkBytes, REPLY_MAGIC, session, firstSeq + k);
  return buf;
}
