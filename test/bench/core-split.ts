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
