import type { VoicemailRecord } from '../contract.js';
import type { Db } from './db.js';

interface VoicemailRow {
  id: number;
  call_id: number;
  recording_sid: string;
  recording_url: string;
  duration_s: number | null;
  received_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
}

function toRecord(row: VoicemailRow): VoicemailRecord {
  return {
    id: row.id,
    callId: row.call_id,
    recordingSid: row.recording_sid,
    recordingUrl: row.recording_url,
    durationS: row.duration_s,
    receivedAt: row.received_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}

export class VoicemailStore {
  private readonly insert;
  private readonly forCall;
  private readonly recent;
  private readonly resolveStmt;

  constructor(db: Db) {
    // Twilio retries the recording callback; the recording sid keeps it to one voicemail.
    this.insert = db.prepare<[number, string, string, number | null, number]>(
      `INSERT INTO voicemails (call_id, recording_sid, recording_url, duration_s, received_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (recording_sid) DO NOTHING`,
    );
    this.forCall = db.prepare<[number], VoicemailRow>('SELECT * FROM voicemails WHERE call_id = ? ORDER BY id');
    this.recent = db.prepare<[number], VoicemailRow>('SELECT * FROM voicemails WHERE (? = 1 OR resolved_at IS NULL) ORDER BY received_at DESC LIMIT 500');
    this.resolveStmt = db.prepare<[number, string, number]>('UPDATE voicemails SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL');
  }

  add(callId: number, recordingSid: string, recordingUrl: string, durationS: number | null, at: number): boolean {
    return this.insert.run(callId, recordingSid, recordingUrl, durationS, at).changes === 1;
  }

  listRecent(includeResolved: boolean): VoicemailRecord[] {
    return this.recent.all(includeResolved ? 1 : 0).map(toRecord);
  }

  resolve(id: number, by: string, at: number): void {
    this.resolveStmt.run(at, by, id);
  }

  listForCall(callId: number): VoicemailRecord[] {
    return this.forCall.all(callId).map(toRecord);
  }
}
