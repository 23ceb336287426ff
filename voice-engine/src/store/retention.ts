import type { Db } from './db.js';

/**
 * Removes what was said on calls older than the clinic keeps it for: transcript lines
 * (the full-text index follows through its triggers) and tool arguments and results,
 * which carry names and dates of birth. The call record itself stays for the log.
 */
export class RetentionStore {
  private readonly deleteLines;
  private readonly clearTools;

  constructor(private readonly db: Db) {
    this.deleteLines = db.prepare<[number]>('DELETE FROM transcript_lines WHERE call_id IN (SELECT id FROM calls WHERE started_at < ?)');
    this.clearTools = db.prepare<[number]>(
      `UPDATE tool_calls SET arguments = '{}', result = NULL WHERE call_id IN (SELECT id FROM calls WHERE started_at < ?) AND (arguments != '{}' OR result IS NOT NULL)`,
    );
  }

  purgeBefore(cutoff: number): { lines: number; toolCalls: number } {
    return this.db.transaction(() => ({ lines: this.deleteLines.run(cutoff).changes, toolCalls: this.clearTools.run(cutoff).changes }))();
  }
}
