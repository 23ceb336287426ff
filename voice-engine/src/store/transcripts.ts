import type { Speaker, TranscriptLine } from '../contract.js';
import type { Db } from './db.js';

interface TranscriptRow {
  id: number;
  call_id: number;
  speaker: Speaker;
  text: string;
  interrupted: number;
  spoken_at: number;
}

function toLine(row: TranscriptRow): TranscriptLine {
  return {
    id: row.id,
    callId: row.call_id,
    speaker: row.speaker,
    text: row.text,
    interrupted: row.interrupted === 1,
    spokenAt: row.spoken_at,
  };
}

export class TranscriptStore {
  private readonly insert;
  private readonly forCall;

  constructor(db: Db) {
    this.insert = db.prepare<[number, Speaker, string, number, number]>(
      'INSERT INTO transcript_lines (call_id, speaker, text, interrupted, spoken_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.forCall = db.prepare<[number], TranscriptRow>('SELECT * FROM transcript_lines WHERE call_id = ? ORDER BY id');
  }

  /** Each line is its own committed statement, so a crash loses nothing already said. */
  append(callId: number, speaker: Speaker, text: string, spokenAt: number, interrupted = false): TranscriptLine {
    const info = this.insert.run(callId, speaker, text, interrupted ? 1 : 0, spokenAt);
    return { id: Number(info.lastInsertRowid), callId, speaker, text, interrupted, spokenAt };
  }

  list(callId: number): TranscriptLine[] {
    return this.forCall.all(callId).map(toLine);
  }
}
