import type { Script, SimSession } from '../sim/realtime/index.js';
import type { BenchCall, ReplySink } from './caller.js';
import { CALLER_MAGIC, MAX_OWNER, REPLY_MAGIC, markedReplyAudio, readMarker, type Marker } from './markers.js';
import type { StallWatch } from './stall-watch.js';
import { Samples, summarize, type Outlier, type Summary } from './stats.js';

/**
 * The measuring end of one level: the Realtime sim's hooks (caller frames arriving,
 * reply chunks leaving), the Twilio side's reply deliveries, and the tallies built from
 * them. Latency samples count only for audio *sent* inside the steady-state window;
 * losses count every marked frame sent from call start to the window's end.
 */

export interface ReplyPlan {
  chunkBytes: number;
  greetingChunks: number;
  turnChunks: number;
  turns: number;
}

/** One Realtime sim session: when each of its marked reply chunks left, and whether it arrived. */
class SessionTrack {
  readonly sentAt: Float64Array;
  readonly arrived: Uint8Array;
  /** Bench call index whose marked frames this session receives. */
  call = -1;
  constructor(chunks: number) {
    this.sentAt = new Float64Array(chunks).fill(NaN);
    this.arrived = new Uint8Array(chunks);
  }
}

export interface ProbeResult {
  callerToOpenAi: Summary;
  openAiToCaller: Summary;
  bargeInClear: Summary;
  /**
   * |audio_end_ms of each accepted truncate − the ms of that item Twilio had actually played
   * when the clear arrived|: how honestly the model is told what the caller heard.
   */
  truncationError: Summary;
  firstGreeting: Summary;
  /**
   * Where the greeting's time goes, each in ms after the Twilio sim sent `start` (negative:
   * before it): the engine's Realtime session upgraded (it is opened at the voice webhook),
   * the sim sent the first greeting chunk, and the engine forwarded that chunk to Twilio
   * (first media minus the later of start and that chunk leaving).
   */
  greetingParts: { realtimeSessionUp: Summary; firstChunkSent: Summary; forwardMs: Summary; heldUntilStart: number };
  callerFramesSent: number;
  callerFramesLost: number;
  replyChunksSent: number;
  replyChunksLost: number;
  /** Marked frames that arrived at the wrong call/session or with ids that were never sent. */
  crossed: number;
  duplicates: number;
  unmarkedAppends: number;
  unmarkedMedia: number;
  bargeIns: number;
  speechStarted: number;
  speechStartedWithoutClear: number;
  callsWithGreeting: number;
  /**
   * Samples over SLOW_MS, and how many of them were in flight while the bench process (both
   * simulators) was itself stalled: those are at least partly the simulators' delay.
   */
  slow: Record<'callerToOpenAi' | 'openAiToCaller' | 'bargeInClear', { over: number; duringBenchStall: number }>;
  /** The worst samples per measure: ms into the window, call, and Realtime events in flight with them. */
  worst: Record<'callerToOpenAi' | 'openAiToCaller' | 'bargeInClear', WorstSample[]>;
  /** Every latency sample of the window, for a p99 over all rounds together (rounds.ts); left out of bench.json. */
  samples?: { up: Float64Array; down: Float64Array };
}

export interface WorstSample {
  ms: number;
  atS: number;
  call: number;
  /** Non-audio events any Realtime session sent while this sample was in flight (engine work they cause). */
  during: string[];
  /** Bench-process stalls (simulators not running) while this sample was in flight. */
  benchStalls: string[];
}

/** Latency above which a sample counts as slow (the per-direction target). */
export const SLOW_MS = 5;

/**
 * Realtime events that make the engine do more than forward audio: a transcript line
 * written to SQLite (input transcription, assistant transcript done), clear + truncate
 * (speech_started), bookkeeping (response.created/done), an error logged and stored.
 */
const ENGINE_WORK = new Set([
  'input_audio_buffer.speech_started',
  'conversation.item.input_audio_transcription.completed',
  'response.output_audio_transcript.done',
  'response.created',
  'response.done',
  'error',
]);

export class LevelProbe implements ReplySink {
  readonly calls: BenchCall[] = [];
  private readonly sessions: SessionTrack[] = [];
  windowStart = Infinity;
  windowEnd = Infinity;
  private readonly up = new Samples(6, SLOW_MS);
  private readonly down = new Samples(6, SLOW_MS);
  private crossed = 0;
  private duplicates = 0;
  private unmarkedAppends = 0;
  private readonly marker: Marker = { owner: 0, seq: 0 };

  constructor(private readonly plan: ReplyPlan, private readonly stalls: StallWatch) {}

  get sessionCount(): number {
    return this.sessions.length;
  }

  /** The Realtime sim's script source: marked near-silent speech, unique per session and chunk. */
  readonly script = (sessionIndex: number): Script => {
    if (sessionIndex > MAX_OWNER) throw new Error(`too many sessions for the marker (${sessionIndex})`);
    const { chunkBytes, greetingChunks, turnChunks, turns } = this.plan;
    this.sessions[sessionIndex] = new SessionTrack(greetingChunks + turns * turnChunks);
    let seq = 0;
    const next = (chunks: number): Buffer => {
      const audio = markedReplyAudio(sessionIndex, seq, chunks, chunkBytes);
      seq += chunks;
      return audio;
    };
    return {
      greeting: [{ say: 'Thank you for calling Sunrise Dental.', audio: next(greetingChunks) }],
      turns: Array.from({ length: turns }, () => ({
        user: 'Excuse me, I have a question.',
        replies: [{ say: 'Of course, go ahead.', audio: next(turnChunks) }],
      })),
    };
  };

  /** The marker seq of the first chunk of the reply that chunk `seq` belongs to. */
  readonly replyStartSeq = (seq: number): number => {
    const { greetingChunks: g, turnChunks: t } = this.plan;
    return seq < g ? 0 : g + Math.floor((seq - g) / t) * t;
  };

  /** Truncation error per accepted truncate inside the window (see ProbeResult.truncationError). */
  private truncationErrors(sessions: readonly SimSession[]): Summary {
    const { greetingChunks: g, turnChunks: t } = this.plan;
    const errors: number[] = [];
    for (const sim of sessions) {
      const call = this.calls[this.sessions[sim.index]?.call ?? -1];
      if (!call?.call) continue;
      for (const tr of sim.truncates) {
        if (!tr.accepted || tr.at < this.windowStart || tr.at > this.windowEnd) continue;
        const k = sim.responses.findIndex((r) => r.itemId === tr.item_id);
        if (k < 0) continue;
        const clear = call.call.clears.filter((c) => c.at <= tr.at + 50).at(-1);
        if (!clear) continue;
        const start = call.replyStarts.get(k === 0 ? 0 : g + (k - 1) * t);
        const playedMs = start === undefined ? 0 : Math.max(0, clear.playedBytesAtClear - start) / 8;
        errors.push(Math.abs(tr.audio_end_ms - playedMs));
      }
    }
    return summarize(errors);
  }

  /** RealtimeSim.onAppend: a caller frame reached "OpenAI". */
  readonly onAppend = (session: SimSession, audio: Buffer, at: number): void => {
    if (!readMarker(audio, CALLER_MAGIC, this.marker)) {
      this.unmarkedAppends++;
      return;
    }
    const { owner, seq } = this.marker;
    const call = this.calls[owner];
    const track = this.sessions[session.index];
    if (!call || !track || seq >= call.sentAt.length) return void this.crossed++;
    if (track.call < 0 && call.session < 0) {
      track.call = owner;
      call.session = session.index;
    } else if (track.call !== owner || call.session !== session.index) {
      return void this.crossed++;
    }
    if (call.arrived[seq]) return void this.duplicates++;
    call.arrived[seq] = 1;
    const sent = call.sentAt[seq]!;
    if (sent >= this.windowStart && sent <= this.windowEnd) this.up.push(at - sent, sent, owner);
  };

  /** RealtimeSim.onAudioDelta: a reply chunk left "OpenAI". */
  readonly onAudioDelta = (session: SimSession, audio: Buffer, at: number): void => {
    if (!readMarker(audio, REPLY_MAGIC, this.marker) || this.marker.owner !== session.index) return void this.crossed++;
    const track = this.sessions[session.index];
    if (!track || this.marker.seq >= track.sentAt.length) return void this.crossed++;
    track.sentAt[this.marker.seq] = at;
  };

  /** ReplySink: a reply chunk reached the caller's side of Twilio. */
  delivered(call: BenchCall, marker: Marker, at: number): void {
    const track = this.sessions[marker.owner];
    if (!track || marker.seq >= track.sentAt.length || (call.session >= 0 && call.session !== marker.owner)) {
      return void this.crossed++;
    }
    if (track.arrived[marker.seq]) return void this.duplicates++;
    track.arrived[marker.seq] = 1;
    const sent = track.sentAt[marker.seq]!;
    if (sent >= this.windowStart && sent <= this.windowEnd) this.down.push(at - sent, sent, call.index);
  }

  /** Everything, once the window closed and the grace period for in-flight audio passed. */
  result(sessions: readonly SimSession[]): ProbeResult {
    let callerSent = 0;
    let callerLost = 0;
    for (const call of this.calls) {
      for (let seq = 1; seq <= call.lastSeq; seq++) {
        const sent = call.sentAt[seq]!;
        if (!(sent <= this.windowEnd)) continue;
        callerSent++;
        if (!call.arrived[seq]) callerLost++;
      }
      if (call.replySession >= 0 && call.session >= 0 && call.replySession !== call.session) this.crossed++;
    }
    let replySent = 0;
    let replyLost = 0;
    for (const track of this.sessions) {
      if (!track) continue;
      for (let seq = 0; seq < track.sentAt.length; seq++) {
        if (!(track.sentAt[seq]! <= this.windowEnd)) continue;
        replySent++;
        if (!track.arrived[seq]) replyLost++;
      }
    }
    const clears = new Samples(6, SLOW_MS);
    let speechStarted = 0;
    let withoutClear = 0;
    for (const sim of sessions) {
      const call = this.calls[this.sessions[sim.index]?.call ?? -1];
      if (!call?.call) continue;
      const starts = sim.sent.filter((e) => e.type === 'input_audio_buffer.speech_started' && e.at >= this.windowStart && e.at <= this.windowEnd);
      const callClears = call.call.clears;
      for (let i = 0; i < starts.length; i++) {
        const at = starts[i]!.at;
        const nextAt = starts[i + 1]?.at ?? Infinity;
        speechStarted++;
        const clear = callClears.find((c) => c.at >= at && c.at < nextAt);
        if (clear) clears.push(clear.at - at, at, call.index);
        else withoutClear++;
      }
    }
    const greetings = this.calls.filter((c) => !Number.isNaN(c.firstMediaAt)).map((c) => c.firstMediaAt - c.startAt);
    const up: number[] = [];
    const firstSent: number[] = [];
    const forward: number[] = [];
    let held = 0;
    for (const c of this.calls) {
      const sim = sessions[c.session];
      const sent = this.sessions[c.session]?.sentAt[0];
      if (!sim || sent === undefined || Number.isNaN(sent) || Number.isNaN(c.firstMediaAt)) continue;
      up.push(sim.connectedAt - c.startAt);
      firstSent.push(sent - c.startAt);
      forward.push(c.firstMediaAt - Math.max(c.startAt, sent));
      if (sent < c.startAt) held++;
    }
    return {
      callerToOpenAi: this.up.summary(),
      openAiToCaller: this.down.summary(),
      bargeInClear: clears.summary(),
      truncationError: this.truncationErrors(sessions),
      firstGreeting: summarize(greetings),
      greetingParts: { realtimeSessionUp: summarize(up), firstChunkSent: summarize(firstSent), forwardMs: summarize(forward), heldUntilStart: held },
      callerFramesSent: callerSent,
      callerFramesLost: callerLost,
      replyChunksSent: replySent,
      replyChunksLost: replyLost,
      crossed: this.crossed,
      duplicates: this.duplicates,
      unmarkedAppends: this.unmarkedAppends,
      unmarkedMedia: this.calls.reduce((n, c) => n + c.unmarkedMedia, 0),
      bargeIns: this.calls.reduce((n, c) => n + c.bargeIns, 0),
      speechStarted,
      speechStartedWithoutClear: withoutClear,
      callsWithGreeting: greetings.length,
      slow: {
        callerToOpenAi: { over: this.up.slow.length, duringBenchStall: this.stalls.overlapping(this.up.slow) },
        openAiToCaller: { over: this.down.slow.length, duringBenchStall: this.stalls.overlapping(this.down.slow) },
        bargeInClear: { over: clears.slow.length, duringBenchStall: this.stalls.overlapping(clears.slow) },
      },
      samples: { up: this.up.values(), down: this.down.values() },
      worst: {
        callerToOpenAi: this.explain(this.up.worst, sessions),
        openAiToCaller: this.explain(this.down.worst, sessions),
        bargeInClear: this.explain(clears.worst, sessions),
      },
    };
  }

  private explain(worst: Outlier[], sessions: readonly SimSession[]): WorstSample[] {
    return worst.map((o) => {
      const during: string[] = [];
      for (const sim of sessions) {
        for (const e of sim.sent) {
          if (e.at < o.at - 20 || e.at > o.at + o.value || !ENGINE_WORK.has(e.type)) continue;
          during.push(`s${sim.index}:${e.type}@${(e.at - o.at).toFixed(1)}`);
        }
      }
      if (during.length > 6) during.splice(6, during.length - 6, `…${during.length - 6} more`);
      return {
        ms: Math.round(o.value * 100) / 100,
        atS: Math.round((o.at - this.windowStart) / 10) / 100,
        call: o.owner,
        during,
        benchStalls: this.stalls.during(o.at, o.at + o.value),
      };
    });
  }
}
