import { base64ByteLength, mulawBytesToMs } from '../twilio/media-protocol.js';

/**
 * What the receptionist has said versus what the caller has actually heard.
 * Audio goes to Twilio faster than it plays; Twilio echoes each mark once the audio
 * before it has played, and plays in real time in between. When the caller talks over
 * the receptionist, the unplayed audio is cleared and the model is told how much of each
 * reply was heard, so it does not believe it said things the caller never got.
 * Pure: no sockets; the time of each event is passed in.
 */
export type PlaybackAction =
  | { type: 'media'; payload: string }
  | { type: 'mark'; name: string }
  /** `heardBytes`: of all the receptionist audio sent on this stream, how much the caller heard (the rest is dropped). */
  | { type: 'clear'; heardBytes: number }
  | { type: 'truncate'; itemId: string; audioEndMs: number };

/**
 * Audio sent and not yet confirmed played, from one mark to the next: what a mark's echo
 * confirms, and when the first of it reached Twilio. One record per mark rather than per
 * chunk: a record per chunk lived until its mark's echo, long enough to be copied by the
 * young-generation collections and promoted, 5,000 a second at 200 calls.
 */
interface SentStretch {
  /** The item of the stretch's first chunk, and when that chunk reached Twilio (or the stream, if it was held). */
  firstItemId: string;
  firstSentAt: number;
  /** The item of its last chunk, and that item's bytes sent up to and including it. */
  lastItemId: string;
  endByte: number;
  /** The mark sent after its last chunk; none while the stretch is still growing. */
  mark?: string;
}

interface ItemProgress {
  id: string;
  sentBytes: number;
  /** Confirmed by an echoed mark. */
  playedBytes: number;
  /** The model finished generating this item's audio. */
  done: boolean;
}

const TRUNCATED_MEMORY = 16;
const BYTES_PER_MS = 8;
/**
 * A mark every 500 ms of audio, and one at the end of each reply: between marks the time
 * since the last echo says how much played (Twilio plays in real time), so a mark only
 * corrects that estimate after a gap in the model's audio. Each mark is a message out and
 * its echo a message in, both on the audio path: at 200 ms they added a seventh to a
 * busy line's messages.
 */
export const MARK_EVERY_BYTES = 500 * BYTES_PER_MS;

export class PlaybackTracker {
  /** Items with audio Twilio has not confirmed yet, oldest first (the last may still be growing). */
  private items: ItemProgress[] = [];
  /** Every stretch of audio sent and not yet confirmed played, oldest first; only the last can be unmarked. */
  private stretches: SentStretch[] = [];
  private readonly truncated: string[] = [];
  private markSeq = 0;
  private lastEchoAt = -Infinity;
  private unmarkedBytes = 0;
  /** Receptionist audio sent on this stream, less what a clear dropped: where the caller's hearing has reached, in bytes. */
  private sentTotal = 0;

  constructor(private readonly markEveryBytes = MARK_EVERY_BYTES) {}

  /** A chunk of model audio: forward it, and a mark when enough has gone out since the last. */
  audioDelta(itemId: string, payload: string, now: number): PlaybackAction[] {
    if (this.truncated.includes(itemId)) return [];
    // Indexing, not `.at(-1)`: this runs per chunk, and `.at` from unoptimized code was a slow runtime call (perf).
    let item = this.items[this.items.length - 1];
    if (item?.id !== itemId) {
      item = { id: itemId, sentBytes: 0, playedBytes: 0, done: false };
      this.items.push(item);
    }
    const bytes = base64ByteLength(payload);
    item.sentBytes += bytes;
    this.sentTotal += bytes;
    let open = this.stretches[this.stretches.length - 1];
    if (!open || open.mark !== undefined) {
      open = { firstItemId: item.id, firstSentAt: now, lastItemId: item.id, endByte: item.sentBytes };
      this.stretches.push(open);
    } else {
      open.lastItemId = item.id;
      open.endByte = item.sentBytes;
    }
    this.unmarkedBytes += bytes;
    const actions: PlaybackAction[] = [{ type: 'media', payload }];
    if (this.unmarkedBytes >= this.markEveryBytes) actions.push(this.markAfter(open));
    return actions;
  }

  /** The model finished generating this item's audio (it may still be playing): mark its end. */
  audioDone(itemId: string): PlaybackAction[] {
    const item = this.items.find((i) => i.id === itemId);
    if (item) item.done = true;
    const last = this.stretches.at(-1);
    return last && last.lastItemId === itemId && !last.mark ? [this.markAfter(last)] : [];
  }

  /** The reply is over, however it ended: mark what is still unmarked, so its end is heard of. */
  flush(): PlaybackAction[] {
    const last = this.stretches.at(-1);
    return last && !last.mark ? [this.markAfter(last)] : [];
  }

  /** Audio held until Twilio's stream existed went out now: it starts playing from here. */
  streamStarted(now: number): void {
    for (const stretch of this.stretches) if (stretch.firstSentAt < now) stretch.firstSentAt = now;
  }

  /** Twilio reports the audio before this mark has played. Unknown names are cleared marks. */
  markPlayed(name: string, now: number): void {
    const index = this.stretches.findIndex((c) => c.mark === name);
    if (index < 0) return;
    const stretch = this.stretches[index]!;
    // Marks play in order, so everything before this one has played too.
    this.stretches.splice(0, index + 1);
    this.lastEchoAt = now;
    const at = this.items.findIndex((i) => i.id === stretch.lastItemId);
    if (at < 0) return;
    this.items[at]!.playedBytes = Math.max(this.items[at]!.playedBytes, stretch.endByte);
    // Items before this one have played in full; keep the growing last item.
    this.items.splice(0, at);
  }

  /**
   * The caller started talking. Stop what is unheard and report what was heard: the
   * bytes confirmed by marks, plus the time since the later of the last echo and the
   * first unconfirmed chunk's arrival, since Twilio plays in real time in between
   * (capped at what was sent). An item queued behind the one playing was heard for 0 ms.
   */
  speechStarted(now: number): PlaybackAction[] {
    const first = this.stretches[0];
    if (!first) {
      // All sent audio was heard; a reply still being generated must still be stopped.
      const last = this.items.at(-1);
      if (!last || last.done) return [];
      this.items = [];
      this.remember(last.id);
      return [{ type: 'clear', heardBytes: this.sentTotal }, { type: 'truncate', itemId: last.id, audioEndMs: mulawBytesToMs(last.playedBytes) }];
    }
    const playingFrom = Math.max(this.lastEchoAt, first.firstSentAt);
    let extra = Math.max(0, (now - playingFrom) * BYTES_PER_MS);
    const truncates: PlaybackAction[] = [];
    const start = this.items.findIndex((i) => i.id === first.firstItemId);
    for (const item of this.items.slice(Math.max(0, start))) {
      const unconfirmed = item.sentBytes - item.playedBytes;
      const heard = item.playedBytes + Math.min(extra, unconfirmed);
      extra = Math.max(0, extra - unconfirmed);
      this.sentTotal -= item.sentBytes - heard;
      this.remember(item.id);
      truncates.push({ type: 'truncate', itemId: item.id, audioEndMs: mulawBytesToMs(heard) });
    }
    const actions: PlaybackAction[] = [{ type: 'clear', heardBytes: this.sentTotal }, ...truncates];
    this.stretches = [];
    this.items = [];
    this.unmarkedBytes = 0;
    return actions;
  }

  /** Whether this item was cut off by the caller, so its transcript line can say so. */
  wasInterrupted(itemId: string): boolean {
    return this.truncated.includes(itemId);
  }

  /** True while audio has been sent that Twilio has not yet confirmed as played. */
  get isPlaying(): boolean {
    return this.stretches.length > 0;
  }

  private markAfter(stretch: SentStretch): PlaybackAction {
    stretch.mark = `${++this.markSeq}`;
    this.unmarkedBytes = 0;
    return { type: 'mark', name: stretch.mark };
  }

  private remember(itemId: string): void {
    this.truncated.push(itemId);
    if (this.truncated.length > TRUNCATED_MEMORY) this.truncated.shift();
  }
}
