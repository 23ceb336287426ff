import type { AfterCallSummary, CallIntent, CallSentiment } from '../contract-views.js';
import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

interface Row {
  call_id: number;
  state: AfterCallSummary['state'];
  summary: string | null;
  intent: CallIntent | null;
  sentiment: CallSentiment | null;
  satisfaction: number | null;
  follow_up: number | null;
  follow_up_reason: string | null;
  detail: string | null;
  updated_at: number;
}

const toSummary = (r: Row): AfterCallSummary => ({
  state: r.state,
  summary: r.summary,
  intent: r.intent,
  sentiment: r.sentiment,
  satisfaction: r.satisfaction,
  followUp: r.follow_up === null ? null : r.follow_up === 1,
  followUpReason: r.follow_up_reason,
  detail: r.detail,
  updatedAt: r.updated_at,
});

function prepareCallSummaryStatements(db: Db) {
  return {
    queue: db.prepare<[number, number]>("INSERT INTO call_summaries (call_id, state, updated_at) VALUES (?, 'pending', ?) ON CONFLICT (call_id) DO NOTHING"),
    pending: db.prepare<[number], { call_id: number }>("SELECT call_id FROM call_summaries WHERE state = 'pending' ORDER BY call_id LIMIT ?"),
    done: db.prepare<[string, CallIntent, CallSentiment, number, number, string | null, number, number]>(
      "UPDATE call_summaries SET state = 'done', summary = ?, intent = ?, sentiment = ?, satisfaction = ?, follow_up = ?, follow_up_reason = ?, detail = NULL, updated_at = ? WHERE call_id = ?",
    ),
    end: db.prepare<[AfterCallSummary['state'], string, number, number]>('UPDATE call_summaries SET state = ?, detail = ?, updated_at = ? WHERE call_id = ?'),
    get: db.prepare<[number], Row>('SELECT * FROM call_summaries WHERE call_id = ?'),
    again: db.prepare<[number, number]>(
      "INSERT INTO call_summaries (call_id, state, updated_at) VALUES (?, 'pending', ?) ON CONFLICT (call_id) DO UPDATE SET state = 'pending', updated_at = excluded.updated_at",
    ),
    // Threads with a text since `since` whose last text is older than `quietBefore`, and no summary made since it.
    quietThreads: db.prepare<[number, number, number], { call_id: number }>(
      `SELECT m.call_id FROM sms_messages m
       LEFT JOIN call_summaries s ON s.call_id = m.call_id
       WHERE m.created_at >= ?
       GROUP BY m.call_id
       HAVING MAX(m.created_at) <= ? AND (MAX(s.call_id) IS NULL OR (MAX(s.state) != 'pending' AND MAX(s.updated_at) < MAX(m.created_at)))
       ORDER BY m.call_id LIMIT ?`,
    ),
  };
}

/** After-call summaries (migration 12): queued when a call ends, filled in or marked failed. */
export class CallSummaryStore {
  private readonly q: () => ReturnType<typeof prepareCallSummaryStatements>;

  constructor(db: Db) {
    this.q = lazyStatements(db, prepareCallSummaryStatements);
  }

  /** Once per call: a call that ends twice (stream stop, then Twilio's callback) is summarised once. */
  queue(callId: number, now: number): boolean {
    return this.q().queue.run(callId, now).changes === 1;
  }

  pending(limit: number): number[] {
    return this.q().pending.all(limit).map((r) => r.call_id);
  }

  done(callId: number, s: { summary: string; intent: CallIntent; sentiment: CallSentiment; satisfaction: number; followUp: boolean; followUpReason: string | null }, now: number): void {
    this.q().done.run(s.summary, s.intent, s.sentiment, s.satisfaction, s.followUp ? 1 : 0, s.followUpReason, now, callId);
  }

  /** No summary: 'failed' (it could not be made; why in `detail`) or 'skipped' (nothing to summarise). */
  end(callId: number, state: 'failed' | 'skipped', detail: string, now: number): void {
    this.q().end.run(state, detail, now, callId);
  }

  /** A text thread that carried on after its summary: summarise it again (its earlier values stay in the row until replaced). */
  queueAgain(callId: number, now: number): void {
    this.q().again.run(callId, now);
  }

  /** Text threads that have gone quiet (no text since `quietBefore`) with no summary since their last text; only threads active since `since`. */
  quietThreads(quietBefore: number, since: number, limit: number): number[] {
    return this.q().quietThreads.all(since, quietBefore, limit).map((r) => r.call_id);
  }

  get(callId: number): AfterCallSummary | null {
    const row = this.q().get.get(callId);
    return row ? toSummary(row) : null;
  }
}
