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
    // With words to find, walk the per-call index newest first: it stops at the page size.
    const order = fts ? 'call_fts.rowid' : 'c.id';
    const where: string[] = ['c.archived = ?'];
    const params: unknown[] = [query.archived ? 1 : 0];
    if (fts) {
      where.push('call_fts MATCH ?');
      params.push(fts);
    }
    if (query.beforeId !== undefined) {
      where.push(`${order} < ?`);
      params.push(query.beforeId);
    }
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
        where.push("replace(c.from_number, '+', '') LIKE ?");
        params.push(`%${digits}%`);
      } else {
        where.push('c.from_number IN (SELECT phone FROM patients WHERE name LIKE ?)');
        params.push(`%${caller}%`);
      }
    }
    const from = fts ? 'call_fts JOIN calls c ON c.id = call_fts.rowid' : 'calls c';
    const sql = `SELECT c.* FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} DESC LIMIT ?`;
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], CallRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement.all(...params, limit).map(toStoredCall);
  }
}
