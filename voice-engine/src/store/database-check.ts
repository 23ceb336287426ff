import type Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';

export interface DatabaseCheck {
  integrity: string;
  userVersion: number;
  /** Rows per ordinary table (full-text index tables left out). */
  rows: Record<string, number>;
}

/** Rows per ordinary table, for backup checks and restore reports. */
export function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'call_fts%' ORDER BY name")
    .all();
  const rows: Record<string, number> = {};
  for (const { name } of tables) rows[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return rows;
}

/** Proves a database file whole: integrity_check, schema version, rows per table. Slow on a big file: storage thread or CLI only. */
export function inspectDatabase(db: Database.Database): DatabaseCheck {
  return {
    integrity: String(db.pragma('integrity_check', { simple: true })),
    userVersion: Number(db.pragma('user_version', { simple: true })),
    rows: rowCounts(db),
  };
}

/** Why a backup must not be restored, in one line naming it, or null when it may be. */
export function restoreRefusal(name: string, check: Pick<DatabaseCheck, 'integrity' | 'userVersion'>): string | null {
  if (check.integrity !== 'ok') return `${name} is damaged (integrity check: ${check.integrity}); nothing was changed.`;
  if (check.userVersion > LATEST_SCHEMA_VERSION) {
    return `${name} was written by a newer Deskline (schema ${check.userVersion}; this one supports ${LATEST_SCHEMA_VERSION}). Install the newer Deskline to restore it.`;
  }
  if (check.userVersion < 1) return `${name} is not a Deskline database.`;
  return null;
}
