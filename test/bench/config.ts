import { planBatchSimulators, planCoreSplit, type CoreSplit } from './core-split.js';
/** Bench settings from the environment, with the defaults `npm run bench` uses. */

export interface BenchConfig {
  /** Concurrent call counts, one level each, in order. */
  levels: number[];
  /** Steady-state measuring window per level, in seconds. */
  seconds: number;
  /** Calls placed per ramp batch, and the pause between batches. */
  rampBatch: number;
  rampPauseMs: number;
  /** Quiet time after the last call connected, before the warm-up. */
  settleMs: number;
  /**
   * Before the window, every call barges in once (spread over the first second of this
   * time) and hears the reply start. A fresh process compiles its barge-in path (the
   * truncate, the clear, the transcripts, the next reply) on first use, and re-optimizes
   * the audio path those new shapes pass through: measured at 100 calls, the first
   * barge-ins held the engine's event loop near 100% for about 200 ms, which alone set the
   * window's p99. A PC that has taken calls all day has long done this; the floor's barge-in
   * is one string. So each subject is measured warm.
   */
  warmUpMs: number;
  /** After the window closes, how long in-flight audio may still arrive and count as delivered. */
  graceMs: number;
  /** Each call barges in this often during the window (phases staggered across calls). */
  bargeEveryMs: number;
  /** How much caller speech a barge-in feeds. */
  bargeSpeechMs: number;
  /**
   * Twilio sim frame-clock phases: 10 spreads the calls' frames over the 20 ms period like
   * independent streams; 1 sends every call's frame in the same instant (worst-case bursts).
   */
  clockPhases: number;
  /** Receptionist audio delta size (the Realtime sim's chunkMs). */
  chunkMs: number;
  /** Write a V8 CPU profile of the engine for these levels (BENCH_PROFILE="100"). */
  profileLevels: number[];
  profileDir: string;
  /** Before a level, wait (at most quietWaitMs) until the machine uses under quietBusyPercent of one core. */
  quietWaitMs: number;
  quietBusyPercent: number;
  /**
   * The whole run aims to finish within budgetMs: quiet waits shrink, and a level measured
   * while other processes used more than retryAbovePercent of a core is re-measured once,
   * only while the remaining levels still fit.
   */
  budgetMs: number;
  retryAbovePercent: number;
  /** Deskline and the floor each run this many times per level, interleaved; compared by the p99 of all rounds' samples. */
  rounds: number;
  /**
   * Rounds at 10 calls or fewer (BENCH_ROUNDS sets both). There a round's p99 is its 14th
   * slowest sample of about 1,400 and sub-millisecond, so one slow spell of this shared
   * machine moves it by half; the same subject's rounds ranged 0.44-1.04 ms at 10 calls.
   * These rounds are short (about 17 s), so more of them cost little.
   */
  lowLevelRounds: number;
  /** Hard cap on one level, ramp to teardown. */
  levelTimeoutMs: number;
  artifactPath: string;
  /** The simulators' cores and the subject's (BENCH_PIN=0: none, all share every core). */
  cores: CoreSplit | null;
  /** The bench's threads run as SCHED_BATCH during the audio levels, each subject as normal (see planBatchSimulators). */
  batchSimulators: boolean;
}

function numberList(raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 4000)) {
    throw new Error(`expected a comma-separated list of call counts (1..4000), got "${raw}"`);
  }
  return values;
}

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const seconds = positive(env.BENCH_SECONDS, 8, 'BENCH_SECONDS');
  const cores = planCoreSplit(env);
  return {
    levels: numberList(env.BENCH_LEVELS, [1, 10, 50, 100, 200]),
    seconds,
    rampBatch: 10,
    rampPauseMs: 100,
    settleMs: 1000,
    warmUpMs: 3500,
    graceMs: 1000,
    bargeEveryMs: 4000,
    bargeSpeechMs: 1200,
    clockPhases: Math.round(positive(env.BENCH_CLOCK_PHASES, 10, 'BENCH_CLOCK_PHASES')),
    chunkMs: 40,
    profileLevels: numberList(env.BENCH_PROFILE, []),
    profileDir: env.BENCH_PROFILE_DIR ?? '/tmp/deskline-bench-prof',
    quietWaitMs: positive(env.BENCH_QUIET_WAIT_S, 30, 'BENCH_QUIET_WAIT_S') * 1000,
    quietBusyPercent: 25,
    budgetMs: positive(env.BENCH_BUDGET_S, 600, 'BENCH_BUDGET_S') * 1000,
    retryAbovePercent: 25,
    rounds: Math.round(positive(env.BENCH_ROUNDS, 3, 'BENCH_ROUNDS')),
    lowLevelRounds: Math.round(positive(env.BENCH_ROUNDS, 5, 'BENCH_ROUNDS')),
    levelTimeoutMs: 60_000 + seconds * 1000,
    artifactPath: 'test-artifacts/bench.json',
    cores,
    batchSimulators: planBatchSimulators(env, cores),
  };
}

/** How many rounds each subject runs at `n` calls. */
export function roundsAt(n: number, cfg: Pick<BenchConfig, 'rounds' | 'lowLevelRounds'>): number {
  return n <= 10 ? cfg.lowLevelRounds : cfg.rounds;
}
