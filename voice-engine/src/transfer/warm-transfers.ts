/**
 * Transfers on their way to the front desk, by the caller's CallSid: what the whisper says,
 * whether a person accepted, and what the receptionist knew, so a transfer nobody takes
 * can come back to it. In memory: a transfer lasts seconds, and after an engine restart
 * the whisper falls back to a plain one and an unanswered transfer to a voicemail.
 */

export interface PendingTransfer {
  callSid: string;
  callId: number;
  whisper: string;
  /** False for hand-offs that must not come back (the call's time limit). */
  returnToReceptionist: boolean;
  /** A person pressed the key (or stayed on the line through the whisper). */
  accepted: boolean;
  /** A person pressed the key that sends the call back. */
  declined: boolean;
  startedAt: number;
  /** What the receptionist's tools remembered (verified identity, offered times). */
  memory: Map<string, unknown>;
}

/** Set in a returning call's tool memory: the desk was tried once, and a second try would only ring out again. */
export const TRANSFER_CAME_BACK = 'transfer.cameBack';

/** Long enough for any ring-out and whisper; past it an entry is only stale. */
const STALE_MS = 60 * 60_000;

export class WarmTransfers {
  private readonly pending = new Map<string, PendingTransfer>();

  start(t: Omit<PendingTransfer, 'accepted' | 'declined'>): void {
    for (const [sid, p] of this.pending) if (t.startedAt - p.startedAt > STALE_MS) this.pending.delete(sid);
    this.pending.set(t.callSid, { ...t, accepted: false, declined: false });
  }

  get(callSid: string): PendingTransfer | undefined {
    return this.pending.get(callSid);
  }

  /** The person at the front desk took (true) or refused (false) the call. */
  answer(callSid: string, accepted: boolean): void {
    const p = this.pending.get(callSid);
    if (!p) return;
    p.accepted = accepted;
    p.declined = !accepted;
  }

  /** The dial is over: the transfer leaves the registry either way. */
  finish(callSid: string): PendingTransfer | undefined {
    const p = this.pending.get(callSid);
    this.pending.delete(callSid);
    return p;
  }
}
