import type { Database } from 'better-sqlite3';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-clinic-and-appointments.js';
import { migration003 } from './003-dashboard.js';
import { migration004 } from './004-call-search.js';
import { migration005 } from './005-call-supervision.js';
import { migration006 } from './006-search-per-call-once.js';
import { migration007 } from './007-urgent-calls.js';
import { migration008 } from './008-caller-verification.js';
import { migration009 } from './009-new-patient-intake.js';
import { migration010 } from './010-sms-threads.js';
import { migration011 } from './011-text-jobs.js';
import { migration012 } from './012-call-summaries.js';
import { migration013 } from './013-call-figures.js';
import { migration014 } from './014-voicemails-on-the-pc.js';
import { migration015 } from './015-call-recordings.js';
import { migration016 } from './016-staff-accounts.js';
import { migration017 } from './017-test-calls.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every schema version the app knows, in order. Append; never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export class DatabaseTooNewError extends Error {
  readonly code = 'DB_TOO_NEW';
  constructor(readonly found: number, readonly supported: number) {
    super(
      `The database was written by a newer Deskline (schema version ${found}; this app supports up to ${supported}). ` +
        'Install the newer Deskline, or restore a backup made by this version.',
    );
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to date, each version in its own transaction, so a failed
 * migration leaves the database at the last good version rather than half-changed.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration registry is out of order at ${m.name}`);
  });
  const from = schemaVersion(db);
  if (from > migrations.length) throw new DatabaseTooNewError(from, migrations.length);
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: migrations.length };
}
