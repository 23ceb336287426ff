import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { demoteHelperThreads, scheduleHelperThreadPriority, threadPolicy } from '../../voice-engine/src/threads/helper-thread-priority.js';
import type { Logger } from '../../voice-engine/src/log.js';

const linux = process.platform === 'linux';
const BATCH = 3;
const NORMAL = 0;
const IDLE = 5;

/** The thread this test runs on (vitest may run it off the process's main thread). */
const self = Number(readlinkSync('/proc/thread-self').split('/').pop());

function ownThreads(): number[] {
  return readdirSync('/proc/self/task').map(Number);
}

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } as Logger & { lines: string[] };
}

let workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  workers = [];
});

async function startHelper(): Promise<Worker> {
  const worker = new Worker('require("node:worker_threads").parentPort.postMessage("up"); setInterval(() => {}, 1000);', { eval: true });
  workers.push(worker);
  await new Promise((resolve) => worker.once('message', resolve));
  return worker;
}

describe.runIf(linux)('helper threads on Linux', () => {
  it('puts every thread but the calling one on SCHED_BATCH, and leaves the calling thread normal', async () => {
    await startHelper();
    const result = await demoteHelperThreads();
    expect(result.kind).toBe('done');
    if (result.kind !== 'done') return;
    expect(result.audioThread).toBe(self);
    const others = ownThreads().filter((tid) => tid !== result.audioThread);
    expect(others.length).toBeGreaterThan(3); // V8's workers, libuv's, the worker thread
    expect(await threadPolicy('/proc', 'self', result.audioThread)).toBe(NORMAL);
    for (const tid of others) expect(await threadPolicy('/proc', 'self', tid)).toBe(BATCH);
  });

  it('catches a thread started since, and leaves alone what already has a policy of its own', async () => {
    await demoteHelperThreads();
    const before = new Set(ownThreads());
    await startHelper();
    const fresh = ownThreads().filter((tid) => !before.has(tid));
    expect(fresh.length).toBeGreaterThan(0);
    for (const tid of fresh) expect(await threadPolicy('/proc', 'self', tid)).toBe(NORMAL);
    // One thread someone set to idle on purpose stays idle.
    const chosen = fresh[0]!;
    execFileSync('chrt', ['--idle', '--pid', '0', String(chosen)]);
    const again = await demoteHelperThreads();
    expect(again.kind === 'done' && again.demoted).toBe(fresh.length - 1);
    expect(await threadPolicy('/proc', 'self', chosen)).toBe(IDLE);
    for (const tid of fresh.slice(1)) expect(await threadPolicy('/proc', 'self', tid)).toBe(BATCH);
  });

  it('reads the calling thread\'s policy, and null for a thread that is gone', async () => {
    expect(await threadPolicy('/proc', 'self', self)).toBe(NORMAL);
    expect(await threadPolicy('/proc', 'self', 999_999_999)).toBeNull();
  });

  it('gives up with one warning when chrt is missing, and never tries again', async () => {
    await startHelper();
    const log = recordingLog();
    let attempts = 0;
    // Every helper back on normal so there is something to set.
    for (const tid of ownThreads()) if (tid !== self) execFileSync('chrt', ['--other', '--pid', '0', String(tid)]);
    const job = scheduleHelperThreadPriority(log, () => false, {
      setBatch: async () => {
        attempts++;
        throw new Error('util-linux chrt is not installed');
      },
    });
    await job.firstRun;
    job.stop();
    expect(attempts).toBe(1);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([
      "warn: Could not lower the helper threads' priority, so they may delay callers' audio on a busy PC: util-linux chrt is not installed",
    ]);
  });

  it('says how many it set, once there were any', async () => {
    await startHelper();
    for (const tid of ownThreads()) if (tid !== self) execFileSync('chrt', ['--other', '--pid', '0', String(tid)]);
    const log = recordingLog();
    const job = scheduleHelperThreadPriority(log, () => false);
    await job.firstRun;
    job.stop();
    expect(log.lines.some((l) => /^info: \d+ helper thread\(s\) set to background \(batch\) priority/.test(l))).toBe(true);
    for (const tid of ownThreads()) if (tid !== self) expect(await threadPolicy('/proc', 'self', tid)).toBe(BATCH);
  });
});

describe('helper threads elsewhere', () => {
  it('does nothing on Windows or macOS, where Node cannot set a thread policy', async () => {
    let called = false;
    for (const platform of ['win32', 'darwin'] as const) {
      const result = await demoteHelperThreads({ platform, setBatch: async () => void (called = true) });
      expect(result).toEqual({ kind: 'unsupported', reason: `per-thread scheduling is not settable on ${platform}` });
    }
    expect(called).toBe(false);
  });
});
