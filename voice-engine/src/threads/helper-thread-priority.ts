import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { scheduleWhenLineQuiet } from '../jobs/when-line-quiet.js';
import type { Logger } from '../log.js';

/**
 * On Linux, every thread of the engine except the one whose event loop carries the calls'
 * audio runs as SCHED_BATCH: V8's compiler and garbage-collector workers, libuv's file
 * pool, the storage writer. Batch threads get their fair share of the CPU but never preempt
 * on wake-up.
 *
 * Why: Linux puts a woken thread on the core of the thread that woke it and lets it preempt
 * that thread. The audio thread wakes these helpers itself (it hands V8 a function to
 * optimize, the writer a line), so the helper took the audio thread's core mid-call, and
 * every caller's audio waited behind a compile. Measured with `perf sched` on a 2-core
 * machine at one call: the audio thread was preempted by its own helpers 1-4 times in 8 s
 * (5 runs), for up to 3.6 ms (V8 compiling `writeOrBuffer` took 4.5 ms), while the other core
 * sat idle; with the helpers as batch, 0 times. Nice 19 did not stop it (up to 5 times).
 * Windows and macOS have no per-thread policy Node can set, so there this does nothing.
 *
 * Setting a policy takes util-linux's `chrt` (Node has no call for it), and starting a
 * process forks the engine, which holds its event loop for milliseconds: so it runs at
 * start-up, before any call, and later only at a quiet moment, for threads started since
 * (a backup's verifier, say).
 */

const SCHED_OTHER = 0;
/** Threads started later (a backup's verifier) are caught at the next quiet moment after this. */
const RECHECK_EVERY_MS = 10 * 60 * 1000;

export interface ThreadPolicyDeps {
  platform?: NodeJS.Platform;
  /** `/proc` by default. */
  procDir?: string;
  /** Puts one thread on SCHED_BATCH; rejects with the reason. */
  setBatch?: (tid: number) => Promise<void>;
}

export type HelperThreadsResult =
  | { kind: 'done'; audioThread: number; demoted: number }
  | { kind: 'unsupported'; reason: string };

/** The kernel's scheduling policy of one thread (field 41 of its stat line), or null once it has exited. */
export async function threadPolicy(procDir: string, pid: number | 'self', tid: number): Promise<number | null> {
  let line: string;
  try {
    line = await readFile(`${procDir}/${pid}/task/${tid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const policy = Number(fields[41 - 3]);
  return Number.isInteger(policy) ? policy : null;
}

/** Runs on the audio thread: it finds its own id there. */
export async function demoteHelperThreads(deps: ThreadPolicyDeps = {}): Promise<HelperThreadsResult> {
  const platform = deps.platform ?? process.platform;
  if (platform !== 'linux') return { kind: 'unsupported', reason: `per-thread scheduling is not settable on ${platform}` };
  const procDir = deps.procDir ?? '/proc';
  const setBatch = deps.setBatch ?? chrtBatch;
  // "<pid>/task/<tid>" of the thread that reads it: read here, not from libuv's pool (an
  // asynchronous readlink), which would name one of the pool's threads.
  const audioThread = Number(readlinkSync(`${procDir}/thread-self`).split('/').pop());
  if (!Number.isInteger(audioThread)) return { kind: 'unsupported', reason: 'cannot tell which thread carries the audio' };
  const tids = (await readdir(`${procDir}/self/task`)).map(Number).filter((tid) => Number.isInteger(tid) && tid !== audioThread);
  let demoted = 0;
  for (const tid of tids) {
    // Only threads still on the default policy: one set otherwise (by IT, say) is left alone.
    if ((await threadPolicy(procDir, 'self', tid)) !== SCHED_OTHER) continue;
    try {
      await setBatch(tid);
      demoted++;
    } catch (err) {
      // A helper that exited meanwhile is no failure; anything else is.
      if ((await threadPolicy(procDir, 'self', tid)) !== null) throw err;
    }
  }
  return { kind: 'done', audioThread, demoted };
}

function chrtBatch(tid: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('chrt', ['--batch', '--pid', '0', String(tid)], { timeout: 5000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new Error(missing ? 'util-linux chrt is not installed' : `chrt: ${stderr.trim() || err.message}`));
    });
  });
}

/**
 * Demotes the helpers now (the engine has no call yet) and re-checks every few minutes at a
 * quiet moment. Gives up, with one warning, when `chrt` is missing or refused.
 */
export function scheduleHelperThreadPriority(log: Logger, lineBusy: () => boolean, deps: ThreadPolicyDeps = {}): { stop(): void; firstRun: Promise<void> } {
  let givenUp = false;
  let running = false;
  const run = async (): Promise<void> => {
    if (givenUp || running) return;
    running = true;
    try {
      // libuv starts its file pool on first use; start it now so its threads are among those demoted.
      await stat(tmpdir());
      const result = await demoteHelperThreads(deps);
      if (result.kind === 'unsupported') {
        givenUp = true;
        log.debug(`Helper threads keep the default priority: ${result.reason}`);
      } else if (result.demoted > 0) {
        log.info(`${result.demoted} helper thread(s) set to background (batch) priority; the audio thread stays normal`);
      }
    } catch (err) {
      givenUp = true;
      log.warn(`Could not lower the helper threads' priority, so they may delay callers' audio on a busy PC: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const firstRun = run();
  const scheduled = scheduleWhenLineQuiet(lineBusy, () => {
    run().catch(() => undefined); // run() handles its own errors; this only keeps the promise observed
  }, RECHECK_EVERY_MS, RECHECK_EVERY_MS);
  return { stop: () => scheduled.stop(), firstRun };
}
