import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Readers for /proc: a process's CPU time and resident memory, and whole-machine CPU use. */

let clockTicks: number | undefined;

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat (almost always 100). */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime and stime of a process, in seconds. */
export function processCpuSeconds(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may contain spaces; everything after its closing paren is space-separated from field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / ticksPerSecond(), system: Number(fields[12]) / ticksPerSecond() };
}

/** VmRSS of a process in bytes. */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export interface CpuMark {
  at: number;
  user: number;
  system: number;
}

export function cpuMark(pid: number): CpuMark {
  return { at: performance.now(), ...processCpuSeconds(pid) };
}

/** CPU used between two marks as % of one core: total, and its user/kernel split. */
export function cpuPercent(a: CpuMark, b: CpuMark): { total: number; user: number; system: number } {
  const s = (b.at - a.at) / 1000;
  const user = ((b.user - a.user) / s) * 100;
  const system = ((b.system - a.system) / s) * 100;
  return { total: user + system, user, system };
}

export interface MachineMark {
  busy: number;
  softirq: number;
  total: number;
}

/** Aggregate jiffies from the first line of /proc/stat. */
export function machineMark(): MachineMark {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // user nice system idle iowait irq softirq steal …
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, softirq: (v[5] ?? 0) + (v[6] ?? 0), total };
}

/** Machine CPU between two marks, in % of ONE core (so 2 cores fully busy = 200). */
export function machineCores(a: MachineMark, b: MachineMark, cores: number): { busy: number; softirq: number } {
  const total = b.total - a.total;
  if (total <= 0) return { busy: 0, softirq: 0 };
  return { busy: ((b.busy - a.busy) / total) * 100 * cores, softirq: ((b.softirq - a.softirq) / total) * 100 * cores };
}

/**
 * Other work on the box (another build, a test run) skews every number the bench takes.
 * Waits, at most `maxWaitMs`, for the whole machine to use under `busyPercent` of one core;
 * returns the load last seen (% of one core) so a skewed level can say so.
 */
export async function waitForQuiet(maxWaitMs: number, busyPercent: number, cores: number, onBusy: (busy: number, gaveUp: boolean) => void): Promise<number> {
  const deadline = performance.now() + maxWaitMs;
  for (let first = true; ; first = false) {
    const a = machineMark();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = machineCores(a, machineMark(), cores).busy;
    if (busy <= busyPercent) return busy;
    const gaveUp = performance.now() > deadline;
    if (first || gaveUp) onBusy(busy, gaveUp);
    if (gaveUp) return busy;
  }
}
