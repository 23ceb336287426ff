import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine } from '../../voice-engine/src/engine.js';
import { StorageError, WorkerStorageWriter, type StorageWriter } from '../../voice-engine/src/store/writer/storage-writer.js';
import type { StorageThreadData } from '../../voice-engine/src/store/writer/protocol.js';

/**
 * The engine with a disk that can fill up: while `<data dir>/disk-full` exists, every
 * write at the storage writer's file-system boundary fails as SQLite fails on a full
 * disk. Injected through startEngine's `storage` option; the product has no such switch.
 */
class FillableDisk implements StorageWriter {
  constructor(private readonly real: StorageWriter, private readonly marker: string) {}

  private guard<T>(op: () => Promise<T>): Promise<T> {
    if (existsSync(this.marker)) return Promise.reject(new StorageError('database or disk is full', 'SQLITE_FULL'));
    return op();
  }

  appendLine(line: Parameters<StorageWriter['appendLine']>[0]) {
    return this.guard(() => this.real.appendLine(line));
  }
  sync() {
    return this.guard(() => this.real.sync());
  }
  sealSearch(callId: number) {
    return this.guard(() => this.real.sealSearch(callId));
  }
  sealLeftovers(before: number) {
    return this.guard(() => this.real.sealLeftovers(before));
  }
  purge(cutoff: number, maxCalls: number) {
    return this.guard(() => this.real.purge(cutoff, maxCalls));
  }
  verify(file: string) {
    return this.real.verify(file);
  }
  encrypt(from: string, to: string, key: Buffer) {
    return this.real.encrypt(from, to, key);
  }
  decrypt(from: string, to: string, key: Buffer) {
    return this.real.decrypt(from, to, key);
  }
  copyDatabase(from: string, to: string) {
    return this.guard(() => this.real.copyDatabase(from, to));
  }
  close() {
    return this.real.close();
  }
}

const engine = await startEngine(process.env, {
  storage: (data: StorageThreadData) => new FillableDisk(new WorkerStorageWriter(data), join(process.env.DESKLINE_DATA_DIR ?? '.', 'disk-full')),
});
process.stdout.write(`Deskline engine (fillable disk) ready: Twilio listener http://${engine.config.publicHost}:${engine.publicPort}, staff API http://127.0.0.1:${engine.dashboardPort}\n`);
process.on('SIGTERM', () => {
  engine.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
