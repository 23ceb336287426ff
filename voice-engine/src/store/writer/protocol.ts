import type { Speaker, TranscriptLine } from '../../contract.js';
import type { DatabaseCheck } from '../database-check.js';

/**
 * What the event loop asks of the storage thread, and what comes back. Requests are
 * applied strictly in the order they were sent.
 */
export type StorageRequest =
  | { op: 'line'; callId: number; speaker: Speaker; text: string; spokenAt: number; interrupted: boolean }
  | { op: 'seal'; callId: number }
  /** A barrier: resolves once everything any connection committed before it is on disk. */
  | { op: 'sync' }
  | { op: 'seal-leftovers'; startedBefore: number }
  | { op: 'purge'; cutoff: number; maxCalls: number }
  | { op: 'verify'; file: string }
  /** AES-256-GCM, file to file (backups); the key travels as hex inside this process only. */
  | { op: 'encrypt'; from: string; to: string; keyHex: string }
  | { op: 'decrypt'; from: string; to: string; keyHex: string }
  /** SQLite's online backup from one database file into another (a live one too). */
  | { op: 'copy-database'; from: string; to: string };

export interface StorageResults {
  line: TranscriptLine;
  seal: null;
  sync: null;
  'seal-leftovers': number;
  purge: { calls: number; lines: number; toolCalls: number };
  verify: DatabaseCheck;
  encrypt: null;
  decrypt: null;
  'copy-database': null;
}

export type StorageMessage = { seq: number; request: StorageRequest };
export type StorageReply = { seq: number; ok: true; value: unknown } | { seq: number; ok: false; error: string; code?: string };

export interface StorageThreadData {
  dbPath: string;
  nativeBinding?: string;
}
