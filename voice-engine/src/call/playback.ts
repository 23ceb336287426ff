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
  | { type: 'clear' }
  | { type: 'truncate'; itemId: string; audioEndMs: number };

interface PendingMark {
  name: string;
  itemId: string;
  /** Bytes of this item sent up to and including the chunk this mark follows. */
  endByte: number;
  /** When the chunk before this mark reached Twilio (or the stream, if it was held). */
  sentAt: number;
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

export class PlaybackTracker {
  /** Items with audio Twilio has not confirmed yet, oldest first (the last may still be growing). */
  private items: ItemProgress[] = [];
  private pending: PendingMark[] = [];
  private readonly truncated: string[] = [];
  private markSeq = 0;
  private lastEchoAt = -Infinity;

  /** A chunk of model audio: forward it, then a mark so we learn when it has played. */
  audioDelta(itemId: string, payload: string, now: number): PlaybackAction[] {
    if (this.truncated.includes(itemId)) return [];
    let item = this.items.at(-1);
    if (item?.id !== itemId) {
      item = { id: itemId, sentBytes: 0, playedBytes: 0, done: false };
      this.items.push(item);
    }
    item.sentBytes += base64ByteLength(payload);
    const name = `${++this.markSeq}`;
    this.pending.push({ name, itemId, endByte: item.sentBytes, sentAt: now });
    return [
      { type: 'media', payload },
      { type: 'mark', name },
    ];
  }

  /** The model finished generating this item's audio (it may still be playing). */
  audioDone(itemId: string): void {
    const item = this.items.find((i) => i.id === itemId);
    if (item) item.done = true;
  }

  /** Audio held until Twilio's stream existed went out now: it starts playing from here. */
  streamStarted(now: number): void {
    for (const mark of this.pending) if (mark.sentAt < now) mark.sentAt = now;
  }

  /** Twilio reports the audio before this mark has played. Unknown names are cleared marks. */
  markPlayed(name: string, now: number): void {
    const index = this.pending.findIndex((m) => m.name === name);
    if (index < 0) return;
    const mark = this.pending[index]!;
    // Marks play in order, so any earlier ones have played too.
    this.pending.splice(0, index + 1);
    this.lastEchoAt = now;
    const at = this.items.findIndex((i) => i.id === mark.itemId);
    if (at < 0) return;
    this.items[at]!.playedBytes = Math.max(this.items[at]!.playedBytes, mark.endByte);
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
    const first = this.pending[0];
    if (!first) {
      // All sent audio was heard; a reply still being generated must still be stopped.
      const last = this.items.at(-1);
      if (!last || last.done) return [];
      this.items = [];
      this.remember(last.id);
      return [{ type: 'clear' }, { type: 'truncate', itemId: last.id, audioEndMs: mulawBytesToMs(last.playedBytes) }];
    }
    const playingFrom = Math.max(this.lastEchoAt, first.sentAt);
    let extra = Math.max(0, (now - playingFrom) * BYTES_PER_MS);
    const actions: PlaybackAction[] = [{ type: 'clear' }];
    const start = this.items.findIndex((i) => i.id === first.itemId);
    for (const item of this.items.slice(Math.max(0, start))) {
      const unconfirmed = item.sentBytes - item.playedBytes;
      const heard = item.playedBytes + Math.min(extra, unconfirmed);
      extra = Math.max(0, extra - unconfirmed);
      this.remember(item.id);
      actions.push({ type: 'truncate', itemId: item.id, audioEndMs: mulawBytesToMs(heard) });
    }
    this.pending = [];
    this.items = [];
    return actions;
  }

  /** Whether this item was cut off by the caller, so its transcript line can say so. */
  wasInterrupted(itemId: string): boolean {
    return this.truncated.includes(itemId);
  }

  /** True while audio has been sent that Twilio has not yet confirmed as played. */
  get isPlaying(): boolean {
    return this.pending.length > 0;
  }

  private remember(itemId: string): void {
    this.truncated.push(itemId);
    if (this.truncated.length > TRUNCATED_MEMORY) this.truncated.shift();
  }
}
