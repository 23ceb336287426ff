import type { CallerChannel } from '../api/registry.js';
import type { MediaLink } from '../call/twilio-output.js';

/**
 * A test call's "Twilio side": the dashboard that started it, over its own engine connection.
 * The live call writes Twilio's outbound media-stream messages here exactly as it would to
 * Twilio; they reach the dashboard as `testcall.*` events (audio, marks to echo once played,
 * clear), so playback tracking, barge-in and the recording behave as on a phone call.
 */
export class BrowserLine implements MediaLink {
  private closed = false;

  constructor(
    private readonly callId: number,
    private readonly channel: CallerChannel,
    /** The line closed (as a media socket's close event): the live call is told after this returns. */
    private readonly onClosed: () => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: string): void {
    if (this.closed) return;
    const m = JSON.parse(message) as { event: string; media?: { payload: string }; mark?: { name: string } };
    if (m.event === 'media' && m.media) this.channel.push({ event: 'testcall.audio', payload: { callId: this.callId, payload: m.media.payload } });
    else if (m.event === 'mark' && m.mark) this.channel.push({ event: 'testcall.mark', payload: { callId: this.callId, name: m.mark.name } });
    else if (m.event === 'clear') this.channel.push({ event: 'testcall.clear', payload: { callId: this.callId } });
  }

  /** The live call closed its stream (the fallback, a hand-off): `reason` is said to the person at the dashboard. */
  close(_code: number, reason: string): void {
    this.end(WHY[reason] ?? 'The call ended.');
  }

  /** Ends the line with these words for the dashboard; the live call hears of it as a closed stream. */
  end(words: string): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.push({ event: 'testcall.ended', payload: { callId: this.callId, reason: words } });
    queueMicrotask(this.onClosed);
  }
}

/** What a closed stream means, for the person testing: what a real caller would get instead. */
const WHY: Record<string, string> = {
  'call moved to fallback':
    'The receptionist could not carry on. In a real call, the caller would now hear an apology and be put through to the front desk (or a voicemail). See Logs for why.',
};
