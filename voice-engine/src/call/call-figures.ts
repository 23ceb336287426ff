import type { TokenUsage } from '../realtime/protocol.js';

/**
 * What one call cost and how quickly the receptionist answered, gathered as it happens: the
 * tokens of every response, the time from the caller finishing to the receptionist's first
 * audio, and how often the caller talked over it. Pure, with the clock passed in.
 */
export class CallFigures {
  readonly tokens: TokenUsage = { textIn: 0, audioIn: 0, cachedTextIn: 0, cachedAudioIn: 0, textOut: 0, audioOut: 0 };
  readonly replyMs: number[] = [];
  bargeIns = 0;
  private callerStoppedAt: number | null = null;

  addUsage(u: TokenUsage): void {
    for (const key of Object.keys(this.tokens) as Array<keyof TokenUsage>) this.tokens[key] += u[key];
  }

  callerStopped(now: number): void {
    this.callerStoppedAt = now;
  }

  /** Receptionist audio went out; the first after the caller stopped is a reply time. */
  replyAudio(now: number): void {
    if (this.callerStoppedAt === null) return;
    this.replyMs.push(Math.max(0, Math.round(now - this.callerStoppedAt)));
    this.callerStoppedAt = null;
  }

  /** The caller started talking while the receptionist was. */
  bargeIn(): void {
    this.bargeIns++;
  }
}

/** The p-th percentile (nearest rank) of a list of times; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
