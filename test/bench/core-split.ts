import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/**
 * Which cores the bench's simulators get and which the subject (Deskline, the floor or the
 * slow-disk engine) gets. In a clinic, Twilio and OpenAI run on their own machines; here
 * they run in the bench process on the same cores as the subject, and a subject that uses
 * more CPU also starves the simulators, whose stalls then land in every latency sample as
 * if the subject had added them. With 4 or more cores the bench pins itself to the first
 * half and each subject (its storage thread included) to the second, so what is measured
 * is what the subject adds. With 2 cores it does not by default: one core each left the
 * simulators for 200 calls saturated (the floor's own p99 at 200 calls went from about
 * 32 ms to 42-132 ms), which measures the harness, not the bridge. BENCH_PIN=1 pins anyway,
 * BENCH_PIN=0 never pins.
 */
export interface CoreSplit {
  bench: string;
  subject: string;
}

export function planCoreSplit(env: NodeJS.ProcessEnv = process.env, cores = cpus().length): CoreSplit | null {
  if (env.BENCH_PIN === '0' || cores < 2 || (cores < 4 && env.BENCH_PIN !== '1')) return null;
  const half = Math.floor(cores / 2);
  const range = (from: number, to: number) => (from === to ? `${from}` : `${from}-${to}`);
  return { bench: range(0, half - 1), subject: range(half, cores - 1) };
}

/**
 * Pins every thread of a process to these cores with util-linux's taskset; threads it
 * starts later inherit the mask from the thread that starts them. False when taskset is
 * missing or refused (the bench then says it ran unpinned).
 */
export function pinProcess(pid: number, cores: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a command on the normal policy (util-linux's chrt execs it), whatever the bench's.
 * A subject is started this way rather than set back after it started: Deskline sets its own
 * helper threads to batch as it starts (voice-engine/src/threads), and a reset of every
 * thread afterwards would undo that, measuring an engine no clinic runs.
 */
export const NORMAL_POLICY_LAUNCHER: readonly string[] = ['chrt', '--other', '0'];

/**
 * Whether the bench's own threads run as SCHED_BATCH while it shares cores with the subject.
 * Linux wakes a normal thread on the core of the thread that woke it and lets it preempt
 * that thread: each frame the subject wrote woke a simulator, which took the subject's core
 * mid-handler, and every other caller's audio then waited on the simulators' work as if the
 * subject had done it. At 10 calls the subject's event loop was preempted by the bench
 * about 360 times a second; the more it wrote and computed, the more often. Batch threads
 * never preempt on wake-up (they run when the subject's loop yields or another core is
 * free), and each subject starts on the normal policy (NORMAL_POLICY_LAUNCHER), as it runs
 * in a clinic, where Twilio and OpenAI are on other machines and never take the engine's
 * core. Not needed when the bench and subject have cores of their own; BENCH_BATCH=0 never
 * sets it.
 */
export function planBatchSimulators(env: NodeJS.ProcessEnv, split: CoreSplit | null, platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux' && split === null && env.BENCH_BATCH !== '0';
}

/** Sets every thread of a process to SCHED_BATCH or back to normal (util-linux's chrt); false when refused or missing. */
export function setSchedulingPolicy(pid: number, policy: 'batch' | 'normal'): boolean {
  try {
    execFileSync('chrt', [policy === 'batch' ? '--batch' : '--other', '--all-tasks', '--pid', '0', String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
