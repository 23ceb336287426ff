import { constants } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/index.js';
import { framesInFile, isOurWav, mulawStereoHeader, SAMPLE_RATE, WAV_HEADER_BYTES } from './mulaw-wav.js';
import { StereoTimeline } from './stereo-timeline.js';

/** How often what has been heard is written out: a crash loses at most this much (plus the margin). */
const FLUSH_EVERY_MS = 2_000;
/** Caller frames arrive a little after the moment they stand for; the file trails the call by this much. */
const LATE_FRAME_MARGIN_MS = 1_000;

/** The file a call's recording is kept in. */
export function recordingFile(dataDir: string, callId: number): string {
  return join(dataDir, 'recordings', `${callId}.wav`);
}

/** Writes still going on per call: a call back from a transfer waits for its first part's to finish. */
const pendingWrites = new Map<number, Promise<void>>();

export interface RecorderDeps {
  dataDir: string;
  store: Store;
  callId: number;
  now: () => number;
  /** A recording that cannot be written is given up; the call goes on. */
  failed: (error: Error) => void;
}

/**
 * One call's recording, from the media stream: a stereo WAV in the data folder, written
 * as the call goes (every couple of seconds, off the event loop's critical path through
 * fs/promises), with a valid header after every write so a crash still leaves a playable
 * file. A call back from a transfer continues the same file after its first part.
 */
export class CallRecorder {
  private readonly timeline = new StereoTimeline();
  private readonly file: string;
  private handle: FileHandle | null = null;
  /** Frames already in the file before this part (a call back from a transfer). */
  private baseFrames = 0;
  /** Where the next frames go in the file. */
  private fileEnd = WAV_HEADER_BYTES;
  private origin = 0;
  private state: 'idle' | 'recording' | 'finished' | 'discarded' | 'failed' = 'idle';
  private io: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RecorderDeps) {
    this.file = recordingFile(deps.dataDir, deps.callId);
  }

  get recording(): boolean {
    return this.state === 'recording';
  }

  /** The media stream started: the recording's clock starts now. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'recording';
    this.origin = this.deps.now();
    const before = pendingWrites.get(this.deps.callId) ?? Promise.resolve();
    this.queue(() => before.then(() => this.openFile()));
    this.timer = setInterval(() => this.flush(this.deps.now() - this.origin - LATE_FRAME_MARGIN_MS), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** A frame from the caller, with Twilio's timestamp (ms since the stream started) when it has one. */
  callerAudio(payloadBase64: string, timestampMs?: number): void {
    if (this.state === 'recording') this.timeline.callerAudio(Buffer.from(payloadBase64, 'base64'), timestampMs);
  }

  /** Receptionist audio that just went to Twilio. */
  receptionistAudio(payloadBase64: string): void {
    if (this.state === 'recording') this.timeline.receptionistAudio(Buffer.from(payloadBase64, 'base64'), this.deps.now() - this.origin);
  }

  /** Twilio was told to drop what it had not played (the caller talked over it); `heardBytes` of the receptionist's audio were heard. */
  cleared(heardBytes?: number): void {
    if (this.state === 'recording') this.timeline.clear(this.deps.now() - this.origin, heardBytes);
  }

  /** Resolves once every write asked for so far is done (never rejects: failures go to `failed`). */
  settled(): Promise<void> {
    return this.io;
  }

  /** The call (or this part of it) is over: the rest is written and the length recorded. */
  finish(): Promise<void> {
    if (this.state !== 'recording') return this.io;
    this.state = 'finished';
    clearInterval(this.timer);
    const end = this.timeline.endFrame(this.deps.now() - this.origin);
    this.write(this.timeline.take(end));
    return this.track(
      this.queue(async () => {
        await this.close();
        const frames = framesInFile(this.fileEnd);
        this.deps.store.recordings.progress(this.deps.callId, Math.round((frames / SAMPLE_RATE) * 1000), WAV_HEADER_BYTES + frames * 2, Date.now());
      }),
    );
  }

  /** The caller declined: recording stops and nothing of it (this part or an earlier one) is kept. */
  discard(): Promise<void> {
    if (this.state === 'discarded') return this.io;
    const was = this.state;
    this.state = 'discarded';
    clearInterval(this.timer);
    if (was === 'idle') return this.io;
    return this.track(
      this.queue(async () => {
        await this.close();
        await rm(this.file, { force: true });
        this.deps.store.recordings.remove(this.deps.callId);
      }),
    );
  }

  private async openFile(): Promise<void> {
    if (this.state === 'discarded') return;
    await mkdir(join(this.deps.dataDir, 'recordings'), { recursive: true });
    // Read-write without truncating (a call back from a transfer continues the file); positional writes need no O_APPEND.
    const handle = await open(this.file, constants.O_RDWR | constants.O_CREAT, 0o600);
    this.handle = handle;
    const { size } = await handle.stat();
    const head = Buffer.alloc(WAV_HEADER_BYTES);
    if (size >= WAV_HEADER_BYTES) await handle.read(head, 0, WAV_HEADER_BYTES, 0);
    // A call back from a transfer carries on after the first part; anything else starts afresh.
    this.baseFrames = size >= WAV_HEADER_BYTES && isOurWav(head) ? framesInFile(size) : 0;
    this.fileEnd = WAV_HEADER_BYTES + this.baseFrames * 2;
    if (this.baseFrames === 0) await handle.write(mulawStereoHeader(0), 0, WAV_HEADER_BYTES, 0);
    // A half-written last frame (a crash mid-write) is dropped.
    await handle.truncate(this.fileEnd);
    this.deps.store.recordings.started(this.deps.callId, this.file, Date.now());
  }

  private flush(upToMs: number): void {
    if (this.state !== 'recording') return;
    this.write(this.timeline.take(Math.max(0, Math.round(upToMs * 8))));
  }

  private write(frames: Buffer): void {
    if (frames.length === 0) return;
    this.queue(async () => {
      if (!this.handle) return;
      await this.handle.write(frames, 0, frames.length, this.fileEnd);
      this.fileEnd += frames.length;
      // The header always matches what is on disk, so a crash still leaves a playable file.
      await this.handle.write(mulawStereoHeader(framesInFile(this.fileEnd)), 0, WAV_HEADER_BYTES, 0);
    });
  }

  private async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  /** File work runs in order, one step at a time; the first failure ends the recording, never the call. */
  private queue(step: () => Promise<void>): Promise<void> {
    this.io = this.io.then(async () => {
      if (this.state === 'failed') return;
      try {
        await step();
      } catch (err) {
        this.state = 'failed';
        clearInterval(this.timer);
        await this.close().catch(() => undefined);
        this.deps.failed(err as Error);
      }
    });
    return this.io;
  }

  private track(done: Promise<void>): Promise<void> {
    const id = this.deps.callId;
    pendingWrites.set(id, done);
    // `done` never rejects (queue() keeps every failure); this only forgets it once settled.
    done.then(() => pendingWrites.get(id) === done && pendingWrites.delete(id)).catch(() => undefined);
    return done;
  }
}
