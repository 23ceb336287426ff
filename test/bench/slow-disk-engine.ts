import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine } from '../../voice-engine/src/engine.js';
import { WorkerStorageWriter, type StorageWriter } from '../../voice-engine/src/store/writer/storage-writer.js';
import type { StorageThreadData } from '../../voice-engine/src/store/writer/protocol.js';

/**
 * The engine (its sources, run through tsx) with a slow disk: every sync of the storage writer takes 50 ms more,
 * as on a front-desk PC with a spinning disk or a busy antivirus scanner. Injected through
 * startEngine's `storage` option, the way the desktop tests inject Electron's APIs; the
 * product has no such switch. Writes that wait meanwhile share the next sync, as they
 * would on the storage thread.
 */
const SYNC_MS = 50;

class SlowDisk implements StorageWriter {
  private queue: Array<() => Promise<unknown>> = [];
  private busy = false;

  constructor(private readonly real: StorageWriter) {}

  appendLine(line: Parameters<StorageWriter['appendLine']>[0]) {
    return this.later(() => this.real.appendLine(line));
  }
  sealSearch(callId: number) {
    return this.later(() => this.real.sealSearch(callId));
  }
  sealLeftovers(before: number) {
    return this.later(() => this.real.sealLeftovers(before));
  }
  purge(cutoff: number, maxCalls: number) {
    return this.later(() => this.real.purge(cutoff, maxCalls));
  }
  verify(file: string) {
    return this.real.verify(file);
  }
  close() {
    return this.real.close();
  }

  private later<T>(op: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => op().then(resolve, reject));
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      await Promise.allSettled(batch.map((run) => run()));
      await sleep(SYNC_MS);
    }
    this.busy = false;
  }
}

const engine = await startEngine(process.env, { storage: (data: StorageThreadData) => new SlowDisk(new WorkerStorageWriter(data)) });
process.stdout.write(
  `Deskline engine (slow disk) ready: Twilio listener http://${engine.config.publicHost}:${engine.publicPort}, staff API http://127.0.0.1:${engine.dashboardPort}\n`,
);
process.on('SIGTERM', () => {
  engine.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
