import { decodeMulawBase64 } from './mulaw';

/**
 * The receptionist's voice on the dashboard's speakers, played the way Twilio plays it to a
 * phone: chunks queued back to back, each mark echoed once everything before it has played,
 * and a clear dropping what has not played (its marks echoed at once, as Twilio does).
 */
export class ReceptionistSpeaker {
  private nextAt = 0;
  private readonly playing = new Set<AudioBufferSourceNode>();
  private marks: Array<{ name: string; timer: ReturnType<typeof setTimeout> }> = [];

  constructor(
    private readonly ctx: AudioContext,
    private readonly echo: (markName: string) => void,
  ) {}

  play(base64: string): void {
    const samples = decodeMulawBase64(base64);
    if (samples.length === 0) return;
    const buffer = this.ctx.createBuffer(1, samples.length, 8000);
    buffer.copyToChannel(samples, 0);
    const source = this.ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.ctx.destination);
    const at = Math.max(this.ctx.currentTime, this.nextAt);
    source.start(at);
    this.nextAt = at + buffer.duration;
    this.playing.add(source);
    source.onended = () => this.playing.delete(source);
  }

  mark(name: string): void {
    const ms = Math.max(0, (this.nextAt - this.ctx.currentTime) * 1000);
    const entry = {
      name,
      timer: setTimeout(() => {
        this.marks = this.marks.filter((m) => m !== entry);
        this.echo(name);
      }, ms),
    };
    this.marks.push(entry);
  }

  clear(): void {
    this.stopAll();
    for (const m of this.marks.splice(0)) {
      clearTimeout(m.timer);
      this.echo(m.name);
    }
  }

  close(): void {
    this.stopAll();
    for (const m of this.marks.splice(0)) clearTimeout(m.timer);
  }

  private stopAll(): void {
    for (const source of this.playing) {
      try {
        source.stop();
      } catch {
        // Already stopped.
      }
    }
    this.playing.clear();
    this.nextAt = this.ctx.currentTime;
  }
}
