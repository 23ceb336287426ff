import { MULAW_SILENCE } from './mulaw-wav.js';

/** μ-law at 8 kHz: one byte per 1/8 ms on each channel. */
const FRAMES_PER_MS = 8;

interface Placed {
  /** First frame it plays at, counted from the start of the media stream. */
  at: number;
  audio: Buffer;
  /** Receptionist audio: how many bytes of the receptionist's audio came before it on this stream. */
  sent?: number;
}

/**
 * Where each side's audio sits on the call's clock, for the recording. The caller's frames
 * carry Twilio's own timestamps. The receptionist's audio is placed where the caller heard
 * it: Twilio plays what it is sent in order and in real time, so each chunk starts when it
 * reached Twilio or when the one before it ends, whichever is later; a clear (the caller
 * talked over it) drops everything not yet played. Pure: the time of each event is passed in.
 * Left channel: the caller. Right channel: the receptionist.
 */
export class StereoTimeline {
  private caller: Placed[] = [];
  private receptionist: Placed[] = [];
  /** Where the receptionist's queued audio ends. */
  private playEnd = 0;
  private callerEnd = 0;
  /** Receptionist bytes placed so far, in the order they went to Twilio (less what clears dropped). */
  private sent = 0;
  /** Frames already handed out by take(): nothing can be placed before this any more. */
  private taken = 0;

  /** A caller frame; `atMs` is Twilio's timestamp (ms since the stream started), when it gave one. */
  callerAudio(audio: Buffer, atMs?: number): void {
    const at = atMs === undefined || !Number.isFinite(atMs) ? this.callerEnd : Math.round(atMs * FRAMES_PER_MS);
    this.callerEnd = Math.max(this.callerEnd, at + audio.length);
    this.place(this.caller, at, audio);
  }

  /** Receptionist audio that reached Twilio `nowMs` after the stream started. */
  receptionistAudio(audio: Buffer, nowMs: number): void {
    const at = Math.max(Math.round(nowMs * FRAMES_PER_MS), this.playEnd, this.taken);
    this.playEnd = at + audio.length;
    this.place(this.receptionist, at, audio, this.sent);
    this.sent += audio.length;
  }

  /**
   * Twilio was told to clear at `nowMs`: what it had not played was never heard. `heardBytes`
   * (the playback tracker's count, corrected by Twilio's marks) says where the caller's hearing
   * stopped; without it, the clear's own time does.
   */
  clear(nowMs: number, heardBytes?: number): void {
    const cut = Math.max(heardBytes === undefined ? Math.round(nowMs * FRAMES_PER_MS) : this.frameOfSentByte(heardBytes, nowMs), this.taken);
    if (heardBytes !== undefined) this.sent = Math.min(this.sent, heardBytes);
    this.receptionist = this.receptionist.flatMap((p) => (p.at >= cut ? [] : p.at + p.audio.length <= cut ? [p] : [{ ...p, audio: p.audio.subarray(0, cut - p.at) }]));
    this.playEnd = Math.min(this.playEnd, cut);
  }

  /** Where the recording ends if the call ends at `nowMs`: the caller's last frame, or the receptionist's last heard one. */
  endFrame(nowMs: number): number {
    return Math.max(this.callerEnd, Math.min(this.playEnd, Math.round(nowMs * FRAMES_PER_MS)), this.taken);
  }

  /** The interleaved stereo frames from the last take() up to `upTo` (silence where nobody spoke). */
  take(upTo: number): Buffer {
    const from = this.taken;
    if (upTo <= from) return Buffer.alloc(0);
    const out = Buffer.alloc((upTo - from) * 2, MULAW_SILENCE);
    this.caller = this.copyInto(out, this.caller, 0, from, upTo);
    this.receptionist = this.copyInto(out, this.receptionist, 1, from, upTo);
    this.taken = upTo;
    return out;
  }

  /** Where the receptionist's `byte`th byte on this stream plays; past the end of what is queued, `nowMs`. */
  private frameOfSentByte(byte: number, nowMs: number): number {
    for (const p of this.receptionist) {
      const sent = p.sent ?? 0;
      if (byte >= sent && byte < sent + p.audio.length) return p.at + (byte - sent);
    }
    return byte >= this.sent ? Math.min(this.playEnd, Math.round(nowMs * FRAMES_PER_MS)) : this.taken;
  }

  private place(list: Placed[], at: number, audio: Buffer, sent?: number): void {
    // Audio for a stretch already written (a very late frame) is dropped rather than misplaced.
    if (at + audio.length <= this.taken) return;
    if (at < this.taken) {
      if (sent !== undefined) sent += this.taken - at;
      audio = audio.subarray(this.taken - at);
      at = this.taken;
    }
    list.push(sent === undefined ? { at, audio } : { at, audio, sent });
  }

  /** Copies each chunk's part inside [from, upTo) into its channel; returns what is left for later. */
  private copyInto(out: Buffer, list: Placed[], channel: 0 | 1, from: number, upTo: number): Placed[] {
    const left: Placed[] = [];
    for (const p of list) {
      const end = p.at + p.audio.length;
      const start = Math.max(p.at, from);
      const stop = Math.min(end, upTo);
      for (let f = start; f < stop; f++) out[(f - from) * 2 + channel] = p.audio[f - p.at]!;
      if (end > upTo) left.push(p.at >= upTo ? p : { ...p, at: upTo, audio: p.audio.subarray(upTo - p.at), ...(p.sent === undefined ? {} : { sent: p.sent + (upTo - p.at) }) });
    }
    return left;
  }
}
