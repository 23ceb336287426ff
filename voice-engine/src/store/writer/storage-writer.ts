import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TranscriptLine } from '../../contract.js';
import type { StorageMessage, StorageReply, StorageRequest, StorageResults, StorageThreadData } from './protocol.js';

/**
 * Everything the engine writes while calls are on the line, done off the event loop
 * that carries their audio. Each promise resolves once the write is durable.
 */
export interface StorageWriter {
  appendLine(line: Omit<TranscriptLine, 'id'>): Promise<TranscriptLine>;
  /**
   * Resolves once everything committed so far, on any connection, is on disk: the event
   * loop's own connection does not wait for the disk, so a booking awaits this before the
   * caller is told it is made.
   */
  sync(): Promise<void>;
  /** Writes a finished call's search document. */
  sealSearch(callId: number): Promise<void>;
  /** Seals up to 50 calls a crash left pending; resolves with how many. */
  sealLeftovers(startedBefore: number): Promise<number>;
  /** Removes transcripts and tool details of up to `maxCalls` calls started before `cutoff`. */
  purge(cutoff: number, maxCalls: number): Promise<StorageResults['purge']>;
  /** Opens a database file read-only and checks it (backups). */
  verify(file: string): Promise<StorageResults['verify']>;
  /** Encrypts or decrypts a backup file (AES-256-GCM). */
  encrypt(from: string, to: string, key: Buffer): Promise<void>;
  decrypt(from: string, to: string, key: Buffer): Promise<void>;
  /** Copies a database page by page (SQLite's online backup), into a live database too. */
  copyDatabase(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** Starts the storage thread: built JavaScript, or the TypeScript source through tsx when the engine runs from source (tests). */
function startThread(data: StorageThreadData): Worker {
  const js = new URL('./storage-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: data });
  const ts = new URL('./storage-thread.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** The storage thread, fed in order; restarted on the next request if it ever dies. */
export class WorkerStorageWriter implements StorageWriter {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private closing: Promise<void> | null = null;

  constructor(private readonly data: StorageThreadData) {}

  appendLine(line: Omit<TranscriptLine, 'id'>): Promise<TranscriptLine> {
    return this.send({ op: 'line', ...line });
  }

  sealSearch(callId: number): Promise<void> {
    return this.send({ op: 'seal', callId }).then(() => undefined);
  }

  sync(): Promise<void> {
    return this.send({ op: 'sync' }).then(() => undefined);
  }

  sealLeftovers(startedBefore: number): Promise<number> {
    return this.send({ op: 'seal-leftovers', startedBefore });
  }

  purge(cutoff: number, maxCalls: number): Promise<StorageResults['purge']> {
    return this.send({ op: 'purge', cutoff, maxCalls });
  }

  verify(file: string): Promise<StorageResults['verify']> {
    return this.send({ op: 'verify', file });
  }

  encrypt(from: string, to: string, key: Buffer): Promise<void> {
    return this.send({ op: 'encrypt', from, to, keyHex: key.toString('hex') }).then(() => undefined);
  }

  decrypt(from: string, to: string, key: Buffer): Promise<void> {
    return this.send({ op: 'decrypt', from, to, keyHex: key.toString('hex') }).then(() => undefined);
  }

  copyDatabase(from: string, to: string): Promise<void> {
    return this.send({ op: 'copy-database', from, to }).then(() => undefined);
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (!worker) return resolve();
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
    return this.closing;
  }

  private send<K extends StorageRequest['op']>(request: Extract<StorageRequest, { op: K }>): Promise<StorageResults[K]> {
    if (this.closing) return Promise.reject(new StorageError('the storage thread is closed'));
    const worker = this.thread();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ seq, request } satisfies StorageMessage);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(this.data);
    worker.on('message', (reply: StorageReply) => {
      const waiting = this.pending.get(reply.seq);
      if (!waiting) return;
      this.pending.delete(reply.seq);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new StorageError(reply.error, reply.code));
    });
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [seq, waiting] of this.pending) {
        this.pending.delete(seq);
        waiting.reject(error);
      }
    };
    worker.on('error', (err) => lost(err));
    worker.on('exit', (code) => lost(new StorageError(`the storage thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
