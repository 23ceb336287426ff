import type { Db } from './db.js';

/**
 * A table family's statements, prepared on first use: a Store opened on an older schema
 * (a migration test, a restore check) never prepares against tables it does not have yet.
 */
export function lazyStatements<T>(db: Db, prepare: (db: Db) => T): () => T {
  let prepared: T | undefined;
  return () => (prepared ??= prepare(db));
}
