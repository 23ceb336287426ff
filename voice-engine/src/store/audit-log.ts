import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

export interface AuditRow {
  id: number;
  at: number;
  actorId: number | null;
  actorName: string;
  action: string;
  target: string | null;
  detail: string | null;
  origin: string;
  prevHash: string;
  hash: string;
}

interface Row {
  id: number;
  at: number;
  actor_id: number | null;
  actor_name: string;
  action: string;
  target: string | null;
  detail: string | null;
  origin: string;
  prev_hash: string;
  hash: string;
}

const toRow = (r: Row): AuditRow => ({ id: r.id, at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, target: r.target, detail: r.detail, origin: r.origin, prevHash: r.prev_hash, hash: r.hash });

export interface AuditFilter {
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
  beforeId?: number;
  limit: number;
}

function prepareAuditStatements(db: Db) {
  return {
    last: db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1'),
    insert: db.prepare<[number, number | null, string, string, string | null, string | null, string, string, string]>(
      'INSERT INTO audit_log (at, actor_id, actor_name, action, target, detail, origin, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    page: db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?'),
    control: db.prepare<[], { purge_before: number; anchor_id: number; anchor_hash: string; head_id: number; head_hash: string }>('SELECT * FROM audit_control WHERE id = 1'),
    setHead: db.prepare<[number, string]>('UPDATE audit_control SET head_id = ?, head_hash = ? WHERE id = 1'),
    setPurge: db.prepare<[number]>('UPDATE audit_control SET purge_before = ? WHERE id = 1'),
    setAnchor: db.prepare<[number, string]>('UPDATE audit_control SET anchor_id = ?, anchor_hash = ? WHERE id = 1'),
    oldest: db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE at < ? ORDER BY id LIMIT ?'),
    remove: db.prepare<[number]>('DELETE FROM audit_log WHERE id = ?'),
  };
}

/** The audit log's rows (migration 16); the hashing is accounts/audit-trail.ts's. */
export class AuditLogStore {
  private readonly q: () => ReturnType<typeof prepareAuditStatements>;

  constructor(private readonly db: Db) {
    this.q = lazyStatements(db, prepareAuditStatements);
  }

  last(): AuditRow | null {
    const row = this.q().last.get();
    return row ? toRow(row) : null;
  }

  /** Appends one entry and moves the head to it, in one transaction (so a deleted newest entry is noticed too). */
  append(e: Omit<AuditRow, 'id'>): number {
    return this.db.transaction(() => {
      const id = Number(this.q().insert.run(e.at, e.actorId, e.actorName, e.action, e.target, e.detail, e.origin, e.prevHash, e.hash).lastInsertRowid);
      this.q().setHead.run(id, e.hash);
      return id;
    })();
  }

  /** The newest entry as last written: its id and hash. */
  head(): { id: number; hash: string } {
    const c = this.q().control.get()!;
    return { id: c.head_id, hash: c.head_hash };
  }

  /** In id order from after `afterId`, for checking the chain a page at a time. */
  page(afterId: number, limit: number): AuditRow[] {
    return this.q().page.all(afterId, limit).map(toRow);
  }

  /** Newest first, filtered, for the Logs screen and the export. */
  search(f: AuditFilter): AuditRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.actor) {
      where.push('actor_name = ?');
      params.push(f.actor);
    }
    if (f.action) {
      where.push('action = ?');
      params.push(f.action);
    }
    if (f.from !== undefined) {
      where.push('at >= ?');
      params.push(f.from);
    }
    if (f.to !== undefined) {
      where.push('at < ?');
      params.push(f.to);
    }
    if (f.beforeId !== undefined) {
      where.push('id < ?');
      params.push(f.beforeId);
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, f.limit) as Row[]).map(toRow);
  }

  /** Where the kept chain starts: the last purged entry's id and hash (0 and '' before any purge). */
  anchor(): { id: number; hash: string } {
    const c = this.q().control.get()!;
    return { id: c.anchor_id, hash: c.anchor_hash };
  }

  /** Retention: removes up to `limit` entries older than `before`, moving the anchor past them. */
  purgeOlderThan(before: number, limit: number): number {
    return this.db.transaction(() => {
      const rows = this.q().oldest.all(before, limit);
      if (rows.length === 0) return 0;
      this.q().setPurge.run(before);
      for (const r of rows) this.q().remove.run(r.id);
      const last = rows.at(-1)!;
      this.q().setAnchor.run(last.id, last.hash);
      this.q().setPurge.run(0);
      return rows.length;
    })();
  }
}
