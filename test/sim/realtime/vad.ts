import { FRAME_BYTES, FRAME_MS, mulawToLinear } from '../audio.js';

/**
 * Energy voice-activity detection over 20 ms μ-law frames, standing in for the
 * server_vad turn detector. espeak speech frames sit in the thousands of linear
 * RMS, its pauses and 0xFF silence near zero, so one threshold separates them.
 * The bench pushes ~10,000 appends/s through this, hence the lookup table and no
 * per-frame allocation.
 */

const SQUARED = new Float64Array(256).map((_, b) => mulawToLinear(b) ** 2);

export interface VadListener {
  speechStarted(audioStartMs: number): void;
  speechStopped(audioStartMs: number, audioEndMs: number): void;
}

export interface VadTuning {
  /** Linear RMS a frame needs to count as voiced. */
  thresholdRms: number;
  /** Voiced audio needed before speech counts as started. */
  startMs: number;
  /** Silence needed before speech counts as stopped (server_vad silence_duration_ms). */
  silenceMs: number;
}

export const DEFAULT_VAD: VadTuning = { thresholdRms: 200, startMs: 60, silenceMs: 500 };

export class EnergyVad {
  private readonly carry = Buffer.alloc(FRAME_BYTES);
  private carryLen = 0;
  /** Frames since the session started; frame k covers [k*20, k*20+20) ms of input audio. */
  private frame = 0;
  private voicedRun = 0;
  private silentRun = 0;
  private speaking = false;
  private startMs = 0;
  private thresholdSum = 0;
  private startFrames = 0;
  private stopFrames = 0;

  constructor(private readonly listener: VadListener, tuning: VadTuning = DEFAULT_VAD) {
    this.tune(tuning);
  }

  tune(tuning: VadTuning): void {
    this.thresholdSum = tuning.thresholdRms ** 2 * FRAME_BYTES;
    this.startFrames = Math.max(1, Math.ceil(tuning.startMs / FRAME_MS));
    this.stopFrames = Math.max(1, Math.ceil(tuning.silenceMs / FRAME_MS));
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  push(audio: Buffer): void {
    let offset = 0;
    if (this.carryLen > 0) {
      const take = Math.min(FRAME_BYTES - this.carryLen, audio.length);
      audio.copy(this.carry, this.carryLen, 0, take);
      this.carryLen += take;
      offset = take;
      if (this.carryLen < FRAME_BYTES) return;
      this.onFrame(energy(this.carry, 0));
      this.carryLen = 0;
    }
    for (; offset + FRAME_BYTES <= audio.length; offset += FRAME_BYTES) this.onFrame(energy(audio, offset));
    if (offset < audio.length) {
      audio.copy(this.carry, 0, offset);
      this.carryLen = audio.length - offset;
    }
  }

  /** input_audio_buffer.clear: forget any utterance in progress, keep the session clock. */
  reset(): void {
    this.speaking = false;
    this.voicedRun = 0;
    this.silentRun = 0;
  }

  private onFrame(sumSquares: number): void {
    const voiced = sumSquares >= this.thresholdSum;
    const index = this.frame++;
    if (!this.speaking) {
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun >= this.startFrames) {
        this.speaking = true;
        this.silentRun = 0;
        this.startMs = (index - this.startFrames + 1) * FRAME_MS;
        this.listener.speechStarted(this.startMs);
      }
      return;
    }
    this.silentRun = voiced ? 0 : this.silentRun + 1;
    if (this.silentRun >= this.stopFrames) {
      this.speaking = false;
      this.voicedRun = 0;
      this.listener.speechStopped(this.startMs, (index + 1) * FRAME_MS);
    }
  }
}

function energy(buf: Buffer, start: number): number {
  let sum = 0;
  for (let i = start, end = start + FRAME_BYTES; i < end; i++) sum += SQUARED[buf[i]!]!;
  return sum;
}
