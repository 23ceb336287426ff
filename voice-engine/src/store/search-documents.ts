import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

function prepareSearchDocumentStatements(db: Db) {
  return {
    removeDoc: db.prepare<[number]>('DELETE FROM call_fts WHERE rowid = ?'),
    // All the call's lines, then its after-call summary once made, so a search finds either.
    writeDoc: db.prepare<[number, number, number]>(
      `INSERT INTO call_fts (rowid, text)
       SELECT ?, group_concat(text, ' ') || coalesce(' ' || (SELECT summary FROM call_summaries WHERE call_id = ? AND state = 'done'), '')
       FROM transcript_lines WHERE call_id = ? HAVING count(*) > 0`,
    ),
    unmark: db.prepare<[number]>('DELETE FROM call_fts_pending WHERE call_id = ?'),
    // Pending calls whose record says they are over: a crash left them open.
    pendingCalls: db.prepare<[number], { call_id: number }>(
      "SELECT p.call_id FROM call_fts_pending p JOIN calls c ON c.id = p.call_id WHERE c.status NOT IN ('ringing', 'in-progress') OR c.started_at < ? LIMIT 50",
    ),
  };
}

/**
 * The per-call search documents (migration 6): written once per call, from all its lines,
 * when the call ends (and again when its summary is made); calls still pending are searched
 * through their lines instead.
 */
export class SearchDocuments {
  private readonly q: () => ReturnType<typeof prepareSearchDocumentStatements>;

  constructor(private readonly db: Db) {
    this.q = lazyStatements(db, prepareSearchDocumentStatements);
  }

  /** Writes one call's document from all its lines and its summary; one transaction. */
  seal(callId: number): void {
    const q = this.q();
    this.db.transaction(() => {
      q.removeDoc.run(callId);
      q.writeDoc.run(callId, callId, callId);
      q.unmark.run(callId);
    })();
  }

  /** Seals up to 50 calls left pending by a crash; returns how many, so a job can come back for more. */
  sealLeftovers(startedBefore: number): number {
    const calls = this.q().pendingCalls.all(startedBefore);
    for (const { call_id } of calls) this.seal(call_id);
    return calls.length;
  }
}
