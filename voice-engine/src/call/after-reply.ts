/** Something to do to the call once the caller has heard the receptionist's reply. */
export type AfterReply =
  | { kind: 'hang-up' }
  /** `final`: if nobody takes the transfer, a voicemail, not the receptionist again (a call at its time limit). */
  | { kind: 'transfer'; to: string; whisper?: TransferWhisper; final?: boolean };

/** What the front desk is told before taking a transfer: the caller's name if given, and why. */
export interface TransferWhisper {
  callerName?: string;
  reason?: string;
  urgent?: boolean;
}

/**
 * Holds a hang-up or transfer until the reply announcing it has been generated and
 * Twilio has confirmed playing all of it, so the caller never loses the goodbye.
 */
export class AfterReplyAction {
  private pending: AfterReply | null = null;
  private armed = false;
  /** The tool asked the model to announce it in the same reply that called it. */
  private announcedFirst = false;

  constructor(
    private readonly stillPlaying: () => boolean,
    private readonly perform: (action: AfterReply) => void,
  ) {}

  request(action: AfterReply, announcedFirst = false): void {
    this.pending = action;
    this.armed = false;
    this.announcedFirst = announcedFirst;
  }

  /**
   * The reply that called the tool has been generated. When that reply spoke and the tool
   * is one the model announces first ("goodbye", "putting you through"), the announcement
   * is out: arm now, and no second reply is asked for, so the caller hears it once.
   * Returns true when it armed.
   */
  announcedBy(replySpoke: boolean): boolean {
    if (!this.pending || !this.announcedFirst || !replySpoke) return false;
    return this.replyGenerated();
  }

  /** A response finished: the announcing reply is out. Returns true if this armed the action. */
  replyGenerated(): boolean {
    if (!this.pending || this.armed) return false;
    this.armed = true;
    this.audioPlayed();
    return true;
  }

  /** Twilio confirmed some audio played; act once none is left. */
  audioPlayed(): void {
    if (this.armed && !this.stillPlaying()) this.fire();
  }

  /** Act now, heard or not: the safety net when Twilio never confirms playback. */
  fire(): void {
    const action = this.pending;
    if (!action) return;
    this.pending = null;
    this.armed = false;
    this.perform(action);
  }
}
