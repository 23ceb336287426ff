import { base64ByteLength, mulawBytesToMs } from '../twilio/media-protocol.js';

/**
 * What the receptionist has said versus what the caller has actually heard.
 * Audio goes to Twilio faster than it plays; Twilio echoes each mark once the audio
 * before it has played. When the caller talks over the receptionist, the unplayed
 * audio is cleared and the model is told exactly how much was heard, so it does not
 * believe it said things the caller never got. Pure: no sockets, no clocks.
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
}

interface ItemProgress {
  id: string;
  sentBytes: number;
  playedBytes: number;
  done: boolean;
}

const TRUNCATED_MEMORY = 16;

export class PlaybackTracker {
  private item: ItemProgress | null = null;
  private pending: PendingMark[] = [];
  private readonly truncated: string[] = [];
  private markSeq = 0;

  /** A chunk of model audio: forward it, then a mark so we learn when it has played. */
  audioDelta(itemId: string, payload: string): PlaybackAction[] {
    if (this.truncated.includes(itemId)) return [];
    if (this.item?.id !== itemId) this.item = { id: itemId, sentBytes: 0, playedBytes: 0, done: false };
    this.item.sentBytes += base64ByteLength(payload);
    const name = `${++this.markSeq}`;
    this.pending.push({ name, itemId, endByte: this.item.sentBytes });
    return [
      { type: 'media', payload },
      { type: 'mark', name },
    ];
  }

  /** The model finished generating this item's audio (it may still be playing). */
  audioDone(itemId: string): void {
    if (this.item?.id === itemId) this.item.done = true;
  }

  /** Twilio reports the audio before this mark has played. Unknown names are cleared marks. */
  markPlayed(name: string): void {
    const index = this.pending.findIndex((m) => m.name === name);
    if (index < 0) return;
    const mark = this.pending[index]!;
    // Marks play in order, so any earlier ones have played too.
    this.pending.splice(0, index + 1);
    if (this.item?.id === mark.itemId) this.item.playedBytes = Math.max(this.item.playedBytes, mark.endByte);
  }

  /** The caller started talking. Stop what is unheard and report what was heard. */
  speechStarted(): PlaybackAction[] {
    const item = this.item;
    const audioQueued = this.pending.length > 0;
    if (!item || (item.done && !audioQueued)) return [];
    this.pending = [];
    this.item = null;
    this.truncated.push(item.id);
    if (this.truncated.length > TRUNCATED_MEMORY) this.truncated.shift();
    return [
      { type: 'clear' },
      { type: 'truncate', itemId: item.id, audioEndMs: mulawBytesToMs(item.playedBytes) },
    ];
  }

  /** Whether this item was cut off by the caller, so its transcript line can say so. */
  wasInterrupted(itemId: string): boolean {
    return this.truncated.includes(itemId);
  }

  /** True while audio has been sent that Twilio has not yet confirmed as played. */
  get isPlaying(): boolean {
    return this.pending.length > 0;
  }
}
