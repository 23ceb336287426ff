import type { ToolCallRecord, ToolCallStatus } from '../contract.js';
import type { Db } from './db.js';

interface ToolCallRow {
  id: number;
  call_id: number;
  model_call_id: string;
  name: string;
  arguments: string;
  result: string | null;
  status: ToolCallStatus;
  started_at: number;
  finished_at: number | null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toRecord(row: ToolCallRow): ToolCallRecord {
  return {
    id: row.id,
    callId: row.call_id,
    name: row.name,
    arguments: parseJson(row.arguments),
    result: parseJson(row.result),
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export class ToolCallStore {
  private readonly insert;
  private readonly finishStmt;
  private readonly byId;
  private readonly forCall;

  constructor(db: Db) {
    this.insert = db.prepare<[number, string, string, string, number]>(
      `INSERT INTO tool_calls (call_id, model_call_id, name, arguments, status, started_at)
       VALUES (?, ?, ?, ?, 'running', ?)`,
    );
    this.finishStmt = db.prepare<[string, ToolCallStatus, number, number]>(
      'UPDATE tool_calls SET result = ?, status = ?, finished_at = ? WHERE id = ?',
    );
    this.byId = db.prepare<[number], ToolCallRow>('SELECT * FROM tool_calls WHERE id = ?');
    this.forCall = db.prepare<[number], ToolCallRow>('SELECT * FROM tool_calls WHERE call_id = ? ORDER BY id');
  }

  /** Recorded before the tool runs, so a crash mid-tool still shows what was attempted. */
  start(callId: number, modelCallId: string, name: string, rawArguments: string, at: number): ToolCallRecord {
    const info = this.insert.run(callId, modelCallId, name, rawArguments, at);
    return this.require(Number(info.lastInsertRowid));
  }

  finish(id: number, status: Exclude<ToolCallStatus, 'running'>, result: unknown, at: number): ToolCallRecord {
    this.finishStmt.run(JSON.stringify(result ?? null), status, at, id);
    return this.require(id);
  }

  list(callId: number): ToolCallRecord[] {
    return this.forCall.all(callId).map(toRecord);
  }

  private require(id: number): ToolCallRecord {
    const row = this.byId.get(id);
    if (!row) throw new Error(`tool call ${id} not found`);
    return toRecord(row);
  }
}
