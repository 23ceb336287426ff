import { performance } from 'node:perf_hooks';
import { FRAME_BYTES, MULAW_SILENCE } from '../sim/audio.js';
import type { SimCall } from '../sim/twilio/index.js';
import { CALLER_MAGIC, MAX_SEQ, REPLY_MAGIC, readMarker, writeMarker, type Marker } from './markers.js';

/**
 * One benchmarked call, Twilio side: supplies every outgoing caller frame (marked
 * near-silence, or marked speech during a barge-in) from one reused buffer, remembers
 * when each went out, and decodes the receptionist chunks the engine delivers.
 */

/** Where the measurements of the engine's receptionist audio go, owned by the level. */
export interface ReplySink {
  /** A marked reply chunk reached this call at `at`. */
  delivered(call: BenchCall, marker: Marker, at: number): void;
}

export class BenchCall {
  readonly frame = Buffer.alloc(FRAME_BYTES, MULAW_SILENCE);
  /** performance.now() each marked frame left the simulator, by frame seq (NaN: not sent). */
  readonly sentAt: Float64Array;
  /** 1 once the Realtime sim received that frame. */
  readonly arrived: Uint8Array;
  /** Highest seq sent. */
  lastSeq = 0;
  /** performance.now() right after the Twilio sim sent `start`. */
  startAt = NaN;
  firstMediaAt = NaN;
  /** Realtime sim session index, learned from this call's first marked append. */
  session = -1;
  /** Session index seen in the first reply chunk delivered to this call: must equal `session`. */
  replySession = -1;
  unmarkedMedia = 0;
  call: SimCall | undefined;
  /**
   * Playout position (absolute bytes at Twilio) of the first chunk of each reply that reached
   * this call, keyed by the reply's first marker seq: where that reply began to play.
   */
  readonly replyStarts = new Map<number, number>();
  /** Maps a reply chunk's marker seq to the seq of its reply's first chunk (set by the level). */
  replyOf: (seq: number) => number = () => 0;

  /** When the next barge-in starts (performance.now()); Infinity for none. */
  nextBargeAt = Infinity;
  bargeEveryMs = Infinity;
  bargeUntil = -Infinity;
  bargeIns = 0;
  private speechOffset = -1;
  private dirty = false;
  private readonly scratch: Marker = { owner: 0, seq: 0 };

  constructor(
    readonly index: number,
    capacityFrames: number,
    private readonly speech: Buffer,
    private readonly sink: ReplySink,
  ) {
    this.sentAt = new Float64Array(Math.min(capacityFrames, MAX_SEQ + 1)).fill(NaN);
    this.arrived = new Uint8Array(this.sentAt.length);
  }

  /** Hooks the simulator call; must run in the same microtask run as placeCall resolving. */
  attach(call: SimCall): void {
    this.call = call;
    this.startAt = performance.now();
    call.recordPlayout = false; // minutes of audio per call would only feed the bench's GC
    call.frameHook = this.frameHook;
    call.onFrameSent = this.onFrameSent;
    call.onMedia = this.onMedia;
  }

  /** Barge in every `everyMs`, first at `firstAt`. */
  scheduleBargeIns(firstAt: number, everyMs: number, until: number): void {
    this.nextBargeAt = firstAt;
    this.bargeEveryMs = everyMs;
    this.bargeUntil = until;
  }

  stopBargeIns(): void {
    this.nextBargeAt = Infinity;
  }

  private readonly frameHook = (seq: number): Buffer | undefined => {
    if (seq >= this.sentAt.length) return undefined; // out of room: plain silence, unmarked, uncounted
    const frame = this.frame;
    if (this.speechOffset < 0 && performance.now() >= this.nextBargeAt) {
      this.speechOffset = 0;
      this.bargeIns++;
      const next = this.nextBargeAt + this.bargeEveryMs;
      this.nextBargeAt = next <= this.bargeUntil ? next : Infinity;
    }
    if (this.speechOffset >= 0) {
      const n = this.speech.copy(frame, 0, this.speechOffset, Math.min(this.speechOffset + FRAME_BYTES, this.speech.length));
      if (n < FRAME_BYTES) frame.fill(MULAW_SILENCE, n);
      this.speechOffset += n;
      if (this.speechOffset >= this.speech.length) {
        this.speechOffset = -1;
        this.dirty = true;
      }
    } else if (this.dirty) {
      frame.fill(MULAW_SILENCE); // speech over: back to marked silence
      this.dirty = false;
    }
    // The sim base64-encodes the frame before the next tick, so one buffer serves every frame.
    writeMarker(frame, 0, CALLER_MAGIC, this.index, seq);
    return frame;
  };

  private readonly onFrameSent = (seq: number): void => {
    // Not the tick's `at`: that is taken before any call's frame of the tick is sent, so at
    // 200 calls it would charge the engine for the simulator's own sending loop.
    if (seq < this.sentAt.length) {
      this.sentAt[seq] = performance.now();
      this.lastSeq = seq;
    }
  };

  private readonly onMedia = (payload: Buffer, at: number): void => {
    if (Number.isNaN(this.firstMediaAt)) this.firstMediaAt = at;
    if (!readMarker(payload, REPLY_MAGIC, this.scratch)) {
      this.unmarkedMedia++;
      return;
    }
    if (this.replySession < 0) this.replySession = this.scratch.owner;
    const reply = this.replyOf(this.scratch.seq);
    // onMedia runs after the playout appended this payload.
    if (this.call && !this.replyStarts.has(reply)) this.replyStarts.set(reply, this.call.stream.playout.appendedBytes - payload.length);
    this.sink.delivered(this, this.scratch, at);
  };
}
