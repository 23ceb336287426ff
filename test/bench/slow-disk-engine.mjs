// @ts-check
import { setTimeout as sleep } from 'node:timers/promises';
import { startEngine } from '../../voice-engine/dist/engine.js';
import { WorkerStorageWriter } from '../../voice-engine/dist/store/writer/storage-writer.js';

/**
 * The built engine, exactly as `npm run serve` runs it, with a slow disk: every sync of
 * the storage writer takes 50 ms more, as on a front-desk PC with a spinning disk or a busy
 * antivirus scanner. Injected through startEngine's `storage` option, the way the desktop
 * tests inject Electron's APIs; the product has no such switch. Writes that wait meanwhile
 * share the next sync, as they would on the storage thread. Plain JavaScript, so the bench
 * measures the same built code as for Deskline itself.
 */
const SYNC_MS = 50;

/** @implements {import('../../voice-engine/src/store/writer/storage-writer.js').StorageWriter} */
class SlowDisk {
  /** @param {import('../../voice-engine/src/store/writer/storage-writer.js').StorageWriter} real */
  constructor(real) {
    this.real = real;
    /** @type {Array<() => Promise<unknown>>} */
    this.queue = [];
    this.busy = false;
  }
  /** @param {any} line */
  appendLine(line) {
    return this.later(() => this.real.appendLine(line));
  }
  sync() {
    return this.later(() => this.real.sync());
  }
  /** @param {number} callId */
  sealSearch(callId) {
    return this.later(() => this.real.sealSearch(callId));
  }
  /** @param {number} before */
  sealLeftovers(before) {
    return this.later(() => this.real.sealLeftovers(before));
  }
  /** @param {number} cutoff @param {number} maxCalls */
  purge(cutoff, maxCalls) {
    return this.later(() => this.real.purge(cutoff, maxCalls));
  }
  /** @param {string} file */
  verify(file) {
    return this.real.verify(file);
  }
  /** @param {string} from @param {string} to @param {Buffer} key */
  encrypt(from, to, key) {
    return this.real.encrypt(from, to, key);
  }
  /** @param {string} from @param {string} to @param {Buffer} key */
  decrypt(from, to, key) {
    return this.real.decrypt(from, to, key);
  }
  /** @param {string} from @param {string} to */
  copyDatabase(from, to) {
    return this.real.copyDatabase(from, to);
  }
  close() {
    return this.real.close();
  }
  /** @template T @param {() => Promise<T>} op @returns {Promise<T>} */
  later(op) {
    return new Promise((resolve, reject) => {
      this.queue.push(() => op().then(resolve, reject));
      if (!this.busy) this.drain().catch(() => undefined);
    });
  }
  async drain() {
    this.busy = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      await Promise.allSettled(batch.map((run) => run()));
      await sleep(SYNC_MS);
    }
    this.busy = false;
  }
}

const engine = await startEngine(process.env, { storage: (data) => new SlowDisk(new WorkerStorageWriter(data)) });
process.stdout.write(
  `Deskline engine (slow disk) ready: Twilio listener http://${engine.config.publicHost}:${engine.publicPort}, staff API http://127.0.0.1:${engine.dashboardPort}\n`,
);
process.on('SIGTERM', () => {
  engine.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
