import { truncateItem } from '../realtime/protocol.js';
import type { ConversationItemTruncateEvent } from 'openai/resources/realtime/realtime';
import { PlaybackTracker, type PlaybackAction } from './playback.js';
import type { TwilioOutput } from './twilio-output.js';

/**
 * The receptionist's audio on its way to the caller: what the playback tracker decides,
 * carried out on Twilio (audio, marks, clear) and on the Realtime session (truncate). Whether
 * anything is playing is reported only when it changes, not per chunk: this runs for every
 * chunk of audio and every echoed mark, and nothing the supervisor or staff see moves with
 * a chunk that plays behind another.
 */
export class PlaybackPath {
  constructor(
    private readonly twilio: TwilioOutput,
    private readonly toModel: (event: ConversationItemTruncateEvent) => void,
    /** Audio started or stopped playing (or the caller cut it off). */
    private readonly changed: () => void,
    private readonly tracker = new PlaybackTracker(),
  ) {}

  /** Audio has been sent that Twilio has not yet confirmed as played. */
  get isPlaying(): boolean {
    return this.tracker.isPlaying;
  }

  wasInterrupted(itemId: string): boolean {
    return this.tracker.wasInterrupted(itemId);
  }

  streamStarted(now: number): void {
    this.tracker.streamStarted(now);
  }

  audioDelta(itemId: string, payload: string, now: number): void {
    const wasPlaying = this.tracker.isPlaying;
    this.apply(this.tracker.audioDelta(itemId, payload, now));
    if (!wasPlaying && this.tracker.isPlaying) this.changed();
  }

  markPlayed(name: string, now: number): void {
    const wasPlaying = this.tracker.isPlaying;
    this.tracker.markPlayed(name, now);
    if (wasPlaying && !this.tracker.isPlaying) this.changed();
  }

  /** The caller started talking: what they have not heard is dropped, and the model told. */
  speechStarted(now: number): void {
    this.apply(this.tracker.speechStarted(now));
    this.changed();
  }

  audioDone(itemId: string): void {
    this.apply(this.tracker.audioDone(itemId));
  }

  /** The reply is over, however it ended. */
  flush(): void {
    this.apply(this.tracker.flush());
  }

  private apply(actions: PlaybackAction[]): void {
    // Most chunks are one action: no closure for them on the audio path.
    if (actions.length > 1) this.twilio.together(() => this.applyEach(actions));
    else this.applyEach(actions);
  }

  private applyEach(actions: PlaybackAction[]): void {
    for (const action of actions) {
      if (action.type === 'truncate') this.toModel(truncateItem(action.itemId, action.audioEndMs));
      else this.twilio.send(action);
    }
  }
}
