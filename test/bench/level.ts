import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { FRAME_MS } from '../sim/audio.js';
import { startBenchRig, type BenchRig as Rig, type BenchSubject } from './bench-rig.js';
import { BenchCall } from './caller.js';
import type { BenchConfig } from './config.js';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.js';
import { EngineInspector, INSPECT_OPTION } from './inspector.js';
import { LevelProbe, type ProbeResult, type ReplyPlan } from './probe.js';
import { cpuMark, cpuPercent, machineCores, machineMark, processRssBytes, waitForQuiet } from './proc.js';
import { StallWatch } from './stall-watch.js';
import { sleep, waitUntil, whenAborted, withTimeout } from './timing.js';

/**
 * One level: a fresh engine process (so its idle RSS is a true baseline) between fresh
 * simulators, N calls ramped up in batches, a steady-state window in which the probes
 * count, then every call hung up and everything closed, whatever happened.
 */

export interface LevelResult {
  /** What carried the calls: Deskline, the passthrough floor, or Deskline with a slow disk. */
  subject: BenchSubject;
  /** The same level through the floor bridge and through Deskline with a 50 ms disk, run right after. */
  floor?: LevelResult;
  slowDisk?: LevelResult;
  calls: number;
  /** 2 when the first measurement was disturbed by other processes and the level ran again. */
  attempts: number;
  /** Every round of this subject at this level (BENCH_ROUNDS), and the median p99 per direction over them. */
  rounds?: Array<{ upP99: number | null; downP99: number | null; lost: number | null }>;
  medianP99?: { up: number; down: number };
  /** The p99 per direction over every round's samples together, and how many samples that is: what the floor ratio compares. */
  pooledP99?: { up: number; down: number; upN: number; downN: number };
  connected: number;
  /** Calls that left the receptionist (fallback redirect, closed stream) before the window ended. */
  droppedCalls: number;
  error?: string;
  rampMs: number;
  windowMs: number;
  probe?: ProbeResult;
  /** cpuSystemPercent: the kernel share of cpuPercent (syscalls: one socket write per WebSocket message, fsync). */
  engine: { pid: number; cpuPercent: number; cpuSystemPercent: number; idleRssMb: number; peakRssMb: number; rssPerCallMb: number; warnings: string[] };
  /** The bench process (both simulators): CPU, event-loop lag, and total time stalled > 3 ms. */
  bench: { cpuPercent: number; loopDelayP99Ms: number; loopDelayMaxMs: number; stalledMs: number };
  /** CPU in % of one core over the window: the whole machine, kernel irq/softirq (loopback), and processes other than engine and bench. */
  machine: { cores: number; busyPercent: number; softirqPercent: number; otherProcessesPercent: number; backgroundBeforePercent: number };
  /** The Twilio sim's frame clock over the window: late ticks show the simulator itself fell behind. */
  twilioClock: { phases: number; skippedTicks: number; maxBurst: number; maxLateMs: number };
  /** Engine CPU profiles (BENCH_PROFILE levels): the ramp (call set-up, greetings) and the steady-state window. */
  profiles?: { ramp?: ProfileSummary; window?: ProfileSummary };
}

const MB = 1024 * 1024;
/** monitorEventLoopDelay samples whole timer intervals; the lag is what exceeds the resolution. */
const LOOP_RESOLUTION_MS = 2;

function replyPlan(n: number, cfg: BenchConfig): ReplyPlan {
  const chunks = (ms: number) => Math.ceil(ms / cfg.chunkMs);
  const rampEstimateMs = Math.ceil(n / cfg.rampBatch) * (cfg.rampPauseMs + 250);
  return {
    chunkBytes: cfg.chunkMs * 8,
    // The greeting only has to last until the call's first barge-in; generous in case that never lands.
    greetingChunks: chunks(rampEstimateMs + cfg.settleMs + cfg.warmUpMs + cfg.seconds * 1000 + cfg.graceMs + 10_000),
    turnChunks: chunks(cfg.bargeEveryMs + 4000),
    // One per barge-in in the window, one for the warm-up's, and spares.
    turns: Math.floor((cfg.seconds * 1000) / cfg.bargeEveryMs) + 4,
  };
}

/** Rough wall time of one level on a quiet machine, for the run's time budget. */
export function estimateLevelMs(n: number, cfg: BenchConfig): number {
  return 8000 + Math.ceil(n / cfg.rampBatch) * (cfg.rampPauseMs + 150) + cfg.settleMs + cfg.warmUpMs + cfg.seconds * 1000 + cfg.graceMs;
}

export async function runLevel(
  n: number, cfg: BenchConfig, speech: Buffer, progress: (line: string) => void, quietWaitMs = cfg.quietWaitMs, subject: BenchSubject = 'deskline',
): Promise<LevelResult> {
  const run = new LevelRun(n, cfg, speech, progress, subject);
  run.result.machine.backgroundBeforePercent = await waitForQuiet(quietWaitMs, cfg.quietBusyPercent, cpus().length, (busy, gaveUp) =>
    progress(gaveUp
      ? `N=${n}: WARNING: other processes keep ${busy.toFixed(0)}% of a core busy; measuring anyway, numbers are skewed`
      : `N=${n}: machine busy (${busy.toFixed(0)}% of a core) before starting; waiting up to ${Math.round(quietWaitMs / 1000)} s for it to go quiet`));
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`level N=${n} took over ${cfg.levelTimeoutMs} ms`)), cfg.levelTimeoutMs);
  const body = run.measure(abort.signal);
  try {
    await Promise.race([body, whenAborted(abort.signal)]);
  } catch (err) {
    run.result.error = err instanceof Error ? err.message.split('\n').slice(0, 3).join(' | ') : String(err);
    progress(`N=${n}: FAILED: ${run.result.error}`);
  } finally {
    clearTimeout(timer);
    abort.abort(new Error('level over'));
    await run.teardown();
    await withTimeout(body, 5000, 'unwinding the level').catch(() => undefined);
  }
  run.collectAfterExit();
  return run.result;
}

class LevelRun {
  readonly result: LevelResult;
  private readonly probe: LevelProbe;
  private readonly stalls = new StallWatch();
  private readonly profileStem: string;
  private readonly profiling: boolean;
  private rig: Rig | undefined;
  private outputMark = 0;
  private inspector: EngineInspector | undefined;
  private readonly profiles: { ramp?: CpuProfile; window?: CpuProfile } = {};

  constructor(
    private readonly n: number,
    private readonly cfg: BenchConfig,
    private readonly speech: Buffer,
    private readonly progress: (line: string) => void,
    private readonly subject: BenchSubject,
  ) {
    this.probe = new LevelProbe(replyPlan(n, cfg), this.stalls);
    this.profiling = cfg.profileLevels.includes(n);
    this.profileStem = `${subject}-N${n}-${process.pid}-${Date.now()}`;
    this.result = {
      subject,
      calls: n, attempts: 1, connected: 0, droppedCalls: 0, rampMs: 0, windowMs: 0,
      engine: { pid: 0, cpuPercent: NaN, cpuSystemPercent: NaN, idleRssMb: NaN, peakRssMb: NaN, rssPerCallMb: NaN, warnings: [] },
      bench: { cpuPercent: NaN, loopDelayP99Ms: NaN, loopDelayMaxMs: NaN, stalledMs: NaN },
      machine: { cores: cpus().length, busyPercent: NaN, softirqPercent: NaN, otherProcessesPercent: NaN, backgroundBeforePercent: NaN },
      twilioClock: { phases: cfg.clockPhases, skippedTicks: 0, maxBurst: 0, maxLateMs: NaN },
    };
  }

  async measure(signal: AbortSignal): Promise<void> {
    const { n, cfg, probe, result } = this;
    const rig = (this.rig = await startBenchRig({
      realtime: { vad: true, keepInputAudio: false, recordAudioEvents: false, recordEventBodies: false, chunkMs: cfg.chunkMs, pace: 'realtime', script: probe.script },
      clockPhases: cfg.clockPhases,
      subject: this.subject,
      ...(cfg.cores ? { subjectCores: cfg.cores.subject } : {}),
      subjectNormalPolicy: cfg.batchSimulators,
      engineEnv: {
        LOG_LEVEL: 'warn',
        ...(this.profiling ? { NODE_OPTIONS: INSPECT_OPTION } : {}),
      },
    }));
    const pid = rig.engine.process.pid!;
    result.engine.pid = pid;
    if (this.profiling) this.inspector = await EngineInspector.connect(rig.engine.output());
    // Idle baseline: started, listening, no call yet. Median of a few reads after it settled.
    await sleep(1000, signal);
    const idle: number[] = [];
    for (let i = 0; i < 5; i++, await sleep(100, signal)) idle.push(processRssBytes(pid));
    const idleRss = idle.sort((a, b) => a - b)[2]!;
    result.engine.idleRssMb = idleRss / MB;
    this.outputMark = rig.engine.output().length;

    rig.realtime.onAppend = probe.onAppend;
    rig.realtime.onAudioDelta = probe.onAudioDelta;
    await this.inspector?.startProfiling();
    await this.ramp(rig, signal);
    if (this.inspector) this.profiles.ramp = await this.inspector.stopProfiling();
    await sleep(cfg.settleMs, signal);
    // ---- warm-up: one barge-in per call, spread over a second (see BenchConfig.warmUpMs) ----
    const warmAt = performance.now();
    for (const c of probe.calls) c.scheduleBargeIns(warmAt + (c.index / n) * 1000, cfg.bargeEveryMs, warmAt);
    await sleep(cfg.warmUpMs, signal);

    // ---- steady-state window ----
    const clock = rig.twilio.clock;
    clock.maxBurst = 0;
    const skipped0 = clock.skippedTicks;
    let peakRss = 0;
    const sampleRss = () => {
      try {
        peakRss = Math.max(peakRss, processRssBytes(pid));
      } catch {
        // the engine died; the level reports that elsewhere
      }
    };
    const windowMs = cfg.seconds * 1000;
    const t0 = performance.now();
    probe.windowStart = t0;
    probe.windowEnd = t0 + windowMs;
    for (const c of probe.calls) {
      c.bargeIns = 0; // the warm-up's are not the window's
      // Staggered so barge-ins are spread over the window, and each has ~2 s to finish inside it.
      c.scheduleBargeIns(t0 + 500 + (c.index / n) * cfg.bargeEveryMs, cfg.bargeEveryMs, t0 + windowMs - 2000);
    }
    const engine0 = cpuMark(pid);
    const machine0 = machineMark();
    const bench0 = process.cpuUsage();
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    await this.inspector?.startProfiling();
    loopDelay.enable();
    this.stalls.start();
    sampleRss();
    const rssTimer = setInterval(sampleRss, 250);
    try {
      await sleep(windowMs, signal);
    } finally {
      clearInterval(rssTimer);
      loopDelay.disable();
      this.stalls.stop();
    }
    sampleRss();
    const engine1 = cpuMark(pid);
    const bench1 = process.cpuUsage(bench0);
    const machine1 = machineMark();
    result.windowMs = engine1.at - engine0.at;
    const engineCpu = cpuPercent(engine0, engine1);
    result.engine.cpuPercent = engineCpu.total;
    result.engine.cpuSystemPercent = engineCpu.system;
    result.bench.cpuPercent = ((bench1.user + bench1.system) / 1000 / result.windowMs) * 100;
    const m = machineCores(machine0, machine1, result.machine.cores);
    result.machine.busyPercent = m.busy;
    result.machine.softirqPercent = m.softirq;
    result.machine.otherProcessesPercent = Math.max(0, m.busy - m.softirq - result.engine.cpuPercent - result.bench.cpuPercent);
    result.bench.loopDelayP99Ms = Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS);
    result.bench.loopDelayMaxMs = Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS);
    result.bench.stalledMs = this.stalls.stalledMs(t0, t0 + windowMs);
    result.twilioClock = {
      phases: clock.phases,
      skippedTicks: clock.skippedTicks - skipped0,
      maxBurst: clock.maxBurst,
      // A burst of b ticks means the timer fired at least (b - 1) ticks late.
      maxLateMs: (clock.maxBurst - 1) * clock.tickMs,
    };
    result.engine.peakRssMb = peakRss / MB;
    result.engine.rssPerCallMb = (peakRss - idleRss) / MB / Math.max(1, result.connected);
    result.droppedCalls = probe.calls.filter((c) => !c.call || c.call.status !== 'in-progress' || c.call.redirects.length > 0).length;

    if (this.inspector) {
      this.profiles.window = await this.inspector.stopProfiling();
      this.closeInspector();
    }
    for (const c of probe.calls) c.stopBargeIns();
    await sleep(cfg.graceMs, signal); // in-flight audio sent inside the window still counts as delivered
    result.probe = probe.result(rig.realtime.sessions);
  }

  /** Calls in batches; each call's hooks go on in the microtask right after its `start` went out. */
  private async ramp(rig: Rig, signal: AbortSignal): Promise<void> {
    const { n, cfg, probe, result } = this;
    const capacityFrames = Math.ceil((cfg.levelTimeoutMs + 30_000) / FRAME_MS);
    const rampStart = performance.now();
    for (let first = 0; first < n; first += cfg.rampBatch) {
      signal.throwIfAborted();
      const batch = Array.from({ length: Math.min(cfg.rampBatch, n - first) }, (_, k) => first + k);
      await Promise.all(
        batch.map((i) => {
          const bc = new BenchCall(i, capacityFrames, this.speech, probe);
          bc.replyOf = probe.replyStartSeq;
          probe.calls[i] = bc;
          const from = `+1503555${String(1000 + i).padStart(4, '0')}`;
          return rig.twilio.placeCall({ from, to: '+15035550100', recordReceived: false }).then((call) => bc.attach(call));
        }),
      );
      if (first + cfg.rampBatch < n) await sleep(cfg.rampPauseMs, signal);
    }
    const live = () => probe.calls.filter((c) => c.session >= 0 && !Number.isNaN(c.firstMediaAt)).length;
    await waitUntil(() => live() === n, 15_000 + n * 50, signal);
    result.rampMs = performance.now() - rampStart;
    result.connected = live();
    this.progress(`N=${n}: ${result.connected}/${n} calls streaming both ways after ${Math.round(result.rampMs)} ms; settling`);
  }

  async teardown(): Promise<void> {
    const rig = this.rig;
    if (!rig) return;
    this.closeInspector();
    for (const c of this.probe.calls) c?.stopBargeIns();
    const calls = this.probe.calls.flatMap((c) => (c?.call ? [c.call] : []));
    try {
      await withTimeout(Promise.allSettled(calls.map((c) => c.hangup())), 15_000, 'hanging up');
    } catch (err) {
      this.progress(`N=${this.n}: ${String(err)}`);
    }
    try {
      await withTimeout(rig.close(), 15_000, 'closing engine and simulators');
    } catch (err) {
      this.progress(`N=${this.n}: ${String(err)}; killing the engine`);
      await rig.engine.kill();
      await Promise.allSettled([rig.twilio.close(), rig.realtime.close()]);
    }
  }

  /** Engine log lines and its CPU profile, both complete only once the engine exited. */
  collectAfterExit(): void {
    const { rig, result, n } = this;
    if (rig) {
      // Everything the engine logged at warn level or above during the level, minus the inspector's own chatter.
      const inspectorChatter = /^(Debugger (listening|attached|ending)|For help, see: https:\/\/nodejs\.org)/;
      const warnings = rig.engine.output().slice(this.outputMark).split('\n').filter((l) => l.trim() !== '' && !inspectorChatter.test(l));
      result.engine.warnings = warnings.slice(0, 20);
      if (warnings.length > 20) result.engine.warnings.push(`… ${warnings.length - 20} more lines`);
    }
    for (const phase of ['ramp', 'window'] as const) {
      const profile = this.profiles[phase];
      if (!profile) continue;
      const path = join(this.cfg.profileDir, `${this.profileStem}-${phase}.cpuprofile`);
      try {
        writeFileSync(path, JSON.stringify(profile));
      } catch (err) {
        this.progress(`N=${n}: could not save the engine CPU profile: ${String(err)}`);
      }
      (result.profiles ??= {})[phase] = summarizeProfile(profile, path);
    }
  }

  private closeInspector(): void {
    this.inspector?.close();
    this.inspector = undefined;
  }
}
