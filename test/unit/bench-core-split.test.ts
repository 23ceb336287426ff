import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NORMAL_POLICY_LAUNCHER, planBatchSimulators, planCoreSplit, setSchedulingPolicy } from '../bench/core-split.js';

/** A process's scheduling policy, from /proc (0 normal, 3 batch). */
function policy(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Policy is field 41; counting starts after the command name, which may hold spaces.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
}

describe('bench core split', () => {
  it('gives the simulators the first half of the cores and the measured bridge the rest, from 4 cores', () => {
    expect(planCoreSplit({}, 4)).toEqual({ bench: '0-1', subject: '2-3' });
    expect(planCoreSplit({}, 6)).toEqual({ bench: '0-2', subject: '3-5' });
    expect(planCoreSplit({}, 5)).toEqual({ bench: '0-1', subject: '2-4' });
  });

  it('leaves 2 or 3 cores shared unless BENCH_PIN=1, and never pins with BENCH_PIN=0 or one core', () => {
    expect(planCoreSplit({}, 2)).toBeNull();
    expect(planCoreSplit({}, 3)).toBeNull();
    expect(planCoreSplit({ BENCH_PIN: '1' }, 2)).toEqual({ bench: '0', subject: '1' });
    expect(planCoreSplit({ BENCH_PIN: '0' }, 8)).toBeNull();
    expect(planCoreSplit({ BENCH_PIN: '1' }, 1)).toBeNull();
  });

  it('runs the simulators as batch threads only while they share cores with the subject, on Linux, unless BENCH_BATCH=0', () => {
    expect(planBatchSimulators({}, null, 'linux')).toBe(true);
    expect(planBatchSimulators({ BENCH_BATCH: '0' }, null, 'linux')).toBe(false);
    expect(planBatchSimulators({}, { bench: '0-1', subject: '2-3' }, 'linux')).toBe(false);
    expect(planBatchSimulators({}, null, 'darwin')).toBe(false);
  });

  it.runIf(process.platform === 'linux')('sets a process to SCHED_BATCH and back to normal', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const pid = child.pid!;
      expect(policy(pid)).toBe(0);
      expect(setSchedulingPolicy(pid, 'batch')).toBe(true);
      expect(policy(pid)).toBe(3);
      expect(setSchedulingPolicy(pid, 'normal')).toBe(true);
      expect(policy(pid)).toBe(0);
      expect(setSchedulingPolicy(999_999_999, 'batch')).toBe(false);
    } finally {
      child.kill();
    }
  });

  it.runIf(process.platform === 'linux')('starts a subject on the normal policy under a batch parent, which a plain start would inherit', async () => {
    const started = async (command: string[]) => {
      const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
      await new Promise((resolve) => child.once('spawn', resolve));
      // chrt execs what follows it, keeping the pid: wait until the last exec happened.
      for (let i = 0; i < 50 && !readFileSync(`/proc/${child.pid}/stat`, 'utf8').includes('(sleep)'); i++) await new Promise((r) => setTimeout(r, 20));
      return child;
    };
    const inherited = await started(['chrt', '--batch', '0', 'sleep', '30']);
    const launched = await started(['chrt', '--batch', '0', ...NORMAL_POLICY_LAUNCHER, 'sleep', '30']);
    try {
      expect(policy(inherited.pid!)).toBe(3);
      expect(policy(launched.pid!)).toBe(0);
    } finally {
      inherited.kill();
      launched.kill();
    }
  });
});
