import type { Migration } from './types.js';

/**
 * People: staff accounts with a role and a hashed PIN or password, server-side sessions
 * (only a hash of each session token is kept), and the audit log. The audit log is
 * append-only: a trigger refuses any UPDATE, and a DELETE except of entries older than the
 * retention cut the engine sets; each entry carries the hash of the one before it, so an
 * edit that gets past the triggers is still found.
 */
export const migration016: Migration = {
  version: 16,
  name: 'staff accounts, sessions and the audit log',
  up: (db) => {
    db.exec(`
      CREATE TABLE staff_accounts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'view_only')),
        secret_kind TEXT NOT NULL CHECK (secret_kind IN ('pin', 'password')),
        secret_hash TEXT NOT NULL,
        disabled_at INTEGER,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        secret_changed_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE staff_sessions (
        token_hash TEXT PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL,
        locked_at INTEGER,
        ended_at INTEGER
      );
      CREATE INDEX staff_sessions_account ON staff_sessions (account_id);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_id INTEGER,
        actor_name TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT,
        origin TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_actor ON audit_log (actor_name, id);
      CREATE TABLE audit_control (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        purge_before INTEGER NOT NULL DEFAULT 0,
        anchor_id INTEGER NOT NULL DEFAULT 0,
        anchor_hash TEXT NOT NULL DEFAULT '',
        head_id INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT NOT NULL DEFAULT ''
      );
      INSERT INTO audit_control (id) VALUES (1);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        WHEN OLD.at >= (SELECT purge_before FROM audit_control WHERE id = 1)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `);
  },
};
