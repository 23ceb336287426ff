import type { Db } from './db.js';

export interface CallSupervisionRecord {
  endReason: string | null;
  keysPressed: string;
  handedOffAt: number | null;
}

/** The supervisor's notes on a call (migration 5): why it ended, keys pressed, hand-off. */
export class CallSupervisionStore {
  private readonly setReason;
  private readonly addKey;
  private readonly handOff;
  private readonly read;
  private readonly resume;

  constructor(db: Db) {
    // The first reason is the cause; what follows (the call ending after a fallback) is not.
    this.setReason = db.prepare<[string, number, number]>('UPDATE calls SET end_reason = COALESCE(end_reason, ?), updated_at = ? WHERE id = ?');
    // Kept short: a caller leaning on the keypad must not grow the row without bound.
    this.addKey = db.prepare<[string, number, number]>('UPDATE calls SET keys_pressed = substr(keys_pressed || ?, -64), updated_at = ? WHERE id = ?');
    this.handOff = db.prepare<[number, number, number]>('UPDATE calls SET handed_off_at = COALESCE(handed_off_at, ?), updated_at = ? WHERE id = ?');
    this.resume = db.prepare<[number, number]>('UPDATE calls SET handed_off_at = NULL, end_reason = NULL, updated_at = ? WHERE id = ?');
    this.read = db.prepare<[number], { end_reason: string | null; keys_pressed: string; handed_off_at: number | null }>(
      'SELECT end_reason, keys_pressed, handed_off_at FROM calls WHERE id = ?',
    );
  }

  recordEndReason(callId: number, reason: string, at: number): void {
    this.setReason.run(reason, at, callId);
  }

  recordKey(callId: number, digit: string, at: number): void {
    this.addKey.run(digit, at, callId);
  }

  /** The call left the receptionist for a person, the fallback or a voicemail. */
  markHandedOff(callId: number, at: number): void {
    this.handOff.run(at, at, callId);
  }

  /** A transfer nobody took came back to the receptionist: the call has not left it after all. */
  resumeFromHandOff(callId: number, at = Date.now()): void {
    this.resume.run(at, callId);
  }

  get(callId: number): CallSupervisionRecord | undefined {
    const row = this.read.get(callId);
    return row && { endReason: row.end_reason, keysPressed: row.keys_pressed, handedOffAt: row.handed_off_at };
  }
}
