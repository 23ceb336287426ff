import { clearMessage, markMessage, mediaMessage } from '../twilio/media-protocol.js';
import type { PlaybackAction } from './playback.js';

/** The Twilio side of the call: the media WebSocket, reduced to what the bridge needs. */
export interface MediaLink {
  send(message: string): void;
  close(code: number, reason: string): void;
  /**
   * Whatever `sends` sends goes to the socket in one write. A chunk of audio and the mark
   * after it are two messages; as two writes they were a fifth of the engine's system
   * calls on a busy line, each one time the audio loop waits on.
   */
  together?(sends: () => void): void;
}

type TwilioAction = Extract<PlaybackAction, { type: 'media' | 'mark' | 'clear' }>;

/** Told what actually went to Twilio, when it went (the call recording places the receptionist's audio by it). */
export interface OutputTap {
  receptionistAudio(payloadBase64: string): void;
  cleared(heardBytes: number): void;
}

/**
 * Where receptionist audio goes. The greeting is usually generated before Twilio's
 * stream exists, so it is held and sent the moment the stream starts.
 */
export class TwilioOutput {
  private link: MediaLink | null = null;
  private streamSid = '';
  private held: TwilioAction[] = [];
  private accepting = true;

  constructor(private readonly tap: OutputTap | null = null) {}

  attach(link: MediaLink, streamSid: string): void {
    this.link = link;
    this.streamSid = streamSid;
    for (const action of this.held.splice(0)) this.send(action);
  }

  /** The stream is gone; nothing more is held for it. */
  detach(): void {
    this.link = null;
    this.accepting = false;
    this.held = [];
  }

  /** What `sends` sends to Twilio leaves in one write to its socket, where the link can. */
  together(sends: () => void): void {
    if (this.link?.together) this.link.together(sends);
    else sends();
  }

  send(action: TwilioAction): void {
    const link = this.link;
    if (!link) {
      if (action.type === 'clear') this.held = [];
      else if (this.accepting) this.held.push(action);
      return;
    }
    if (action.type === 'media') {
      link.send(mediaMessage(this.streamSid, action.payload));
      this.tap?.receptionistAudio(action.payload);
    } else if (action.type === 'mark') {
      link.send(markMessage(this.streamSid, action.name));
    } else {
      link.send(clearMessage(this.streamSid));
      this.tap?.cleared(action.heardBytes);
    }
  }

  close(code: number, reason: string): void {
    this.link?.close(code, reason);
  }
}
