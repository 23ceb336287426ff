import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestTls } from './sim/tls.js';

/**
 * Runs once before any test file: shared fixtures that must not be raced by parallel workers.
 * Every temporary file of the run (engine data directories, databases, backups, Chromium
 * profiles) goes under one directory that is removed at the end, since tests restart
 * engines on the same data and so cannot each remove their own. Workers inherit TMPDIR.
 */
export default function setup(): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'deskline-test-run-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = runDir;
  ensureTestTls();
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(runDir, { recursive: true, force: true });
  };
}
