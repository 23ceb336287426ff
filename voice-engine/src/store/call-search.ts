import type { Statement } from 'better-sqlite3';
import type { CallSearchQuery } from '../contract-views.js';
import { toStoredCall, type CallRow, type StoredCall } from './calls.js';
import type { Db } from './db.js';

/**
 * Turns what staff type into an FTS5 query that cannot fail to parse: each word is
 * quoted and matched as a prefix, all words required.
 */
export function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).map((w) => w.replace(/"/g, '')).filter((w) => w.length > 0);
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' ');
}

/**
 * The call log's queries: filters, transcript search and keyset paging over a table
 * that grows by thousands of calls a month. Each combination of filters is one
 * prepared statement, reused.
 */
export class CallSearch {
  private readonly statements = new Map<string, Statement<unknown[], CallRow>>();

  constructor(private readonly db: Db) {}

  search(query: CallSearchQuery, limit: number): StoredCall[] {
    const fts = query.text ? ftsQuery(query.text) : null;
    const filters = this.filters(query);
    if (!fts) {
      const where = [...filters.where];
      const params = [...filters.params];
      if (query.beforeId !== undefined) {
        where.push('c.id < ?');
        params.push(query.beforeId);
      }
      return this.run(`SELECT c.* FROM calls c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT ?`, [...params, limit]);
    }
    // Calls whose document is written walk the per-call index newest first: it stops at the page size.
    const where = [...filters.where, 'call_fts MATCH ?'];
    const params: unknown[] = [...filters.params, fts];
    if (query.beforeId !== undefined) {
      where.push('call_fts.rowid < ?');
      params.push(query.beforeId);
    }
    const indexed = this.run(`SELECT c.* FROM call_fts JOIN calls c ON c.id = call_fts.rowid WHERE ${where.join(' AND ')} ORDER BY call_fts.rowid DESC LIMIT ?`, [...params, limit]);
    if (query.beforeId !== undefined) return indexed;
    // Calls still in progress have no document yet: there are only a few, found by their lines.
    const words = (query.text ?? '').split(/\s+/).filter((w) => w.length > 0);
    const pendingWhere = [...filters.where, ...words.map(() => "EXISTS (SELECT 1 FROM transcript_lines t WHERE t.call_id = c.id AND t.text LIKE ? ESCAPE '\\')")];
    const pendingParams = [...filters.params, ...words.map((w) => `%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)];
    const pending = this.run(`SELECT c.* FROM call_fts_pending p JOIN calls c ON c.id = p.call_id WHERE ${pendingWhere.join(' AND ')} ORDER BY c.id DESC`, pendingParams);
    if (pending.length === 0) return indexed;
    const seen = new Set(pending.map((c) => c.id));
    return [...pending, ...indexed.filter((c) => !seen.has(c.id))].slice(0, limit);
  }

  /** The filters every search shares, as SQL over `calls c`. */
  private filters(query: CallSearchQuery): { where: string[]; params: unknown[] } {
    const where: string[] = ['c.archived = ?'];
    const params: unknown[] = [query.archived ? 1 : 0];
    if (query.from !== undefined) {
      where.push('c.started_at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('c.started_at < ?');
      params.push(query.to);
    }
    if (query.outcome !== undefined) {
      where.push('c.outcome = ?');
      params.push(query.outcome);
    }
    if (query.intent !== undefined) {
      where.push('c.id IN (SELECT call_id FROM call_summaries WHERE intent = ?)');
      params.push(query.intent);
    }
    if (query.sentiment !== undefined) {
      where.push("c.id IN (SELECT call_id FROM call_summaries WHERE state = 'done' AND sentiment = ?)");
      params.push(query.sentiment);
    }
    if (query.summaryFollowUp !== undefined) {
      where.push("c.id IN (SELECT call_id FROM call_summaries WHERE state = 'done' AND follow_up = ?)");
      params.push(query.summaryFollowUp ? 1 : 0);
    }
    if (query.channel === 'voice' || query.channel === 'sms') {
      where.push('c.channel = ?');
      params.push(query.channel);
    }
    if (query.needsAction !== undefined) {
      where.push('c.needs_action = ?');
      params.push(query.needsAction ? 1 : 0);
    }
    const caller = query.caller?.trim();
    if (caller) {
      const digits = caller.replace(/\D/g, '');
      const onlyDigits = digits.length >= 3 && digits.length === caller.replace(/[\s()+.-]/g, '').length;
      if (onlyDigits && digits.length === 4) {
        where.push('c.from_last4 = ?');
        params.push(digits);
      } else if (onlyDigits) {
        // The few numbers that contain the digits are found among the distinct numbers (a scan
        // of the from_number index), then their calls by that index; `+` keeps the planner from
        // walking every call newest-first through the archived index instead (measured over
        // 100,000 calls: 57 ms → 18 ms for a number with 26 calls).
        where[0] = '+c.archived = ?';
        where.push("c.from_number IN (SELECT n FROM (SELECT DISTINCT from_number AS n FROM calls) WHERE replace(n, '+', '') LIKE ?)");
        params.push(`%${digits}%`);
      } else {
        where.push('c.from_number IN (SELECT phone FROM patients WHERE name LIKE ?)');
        params.push(`%${caller}%`);
      }
    }
    return { where, params };
  }

  private run(sql: string, params: unknown[]): StoredCall[] {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], CallRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement.all(...params).map(toStoredCall);
  }
}
