import type { Db } from './db.js';

/**
 * The per-call search documents (migration 6): written once per call, from all its lines,
 * when the call ends; calls still pending are searched through their lines instead.
 */
export class SearchDocuments {
  private readonly removeDoc;
  private readonly writeDoc;
  private readonly unmark;
  private readonly pendingCalls;

  constructor(private readonly db: Db) {
    this.removeDoc = db.prepare<[number]>('DELETE FROM call_fts WHERE rowid = ?');
    this.writeDoc = db.prepare<[number, number]>(
      "INSERT INTO call_fts (rowid, text) SELECT ?, group_concat(text, ' ') FROM transcript_lines WHERE call_id = ? HAVING count(*) > 0",
    );
    this.unmark = db.prepare<[number]>('DELETE FROM call_fts_pending WHERE call_id = ?');
    // Pending calls whose record says they are over: a crash left them open.
    this.pendingCalls = db.prepare<[number], { call_id: number }>(
      "SELECT p.call_id FROM call_fts_pending p JOIN calls c ON c.id = p.call_id WHERE c.status NOT IN ('ringing', 'in-progress') OR c.started_at < ? LIMIT 50",
    );
  }

  /** Writes one call's document from all its lines; one transaction. */
  seal(callId: number): void {
    this.db.transaction(() => {
      this.removeDoc.run(callId);
      this.writeDoc.run(callId, callId);
      this.unmark.run(callId);
    })();
  }

  /** Seals up to 50 calls left pending by a crash; returns how many, so a job can come back for more. */
  sealLeftovers(startedBefore: number): number {
    const calls = this.pendingCalls.all(startedBefore);
    for (const { call_id } of calls) this.seal(call_id);
    return calls.length;
  }
}
