import type { LevelResult } from './level.js';
import { cpus } from 'node:os';
import type { Summary } from './stats.js';

const coreCount = () => cpus().length;

/** The markdown table `npm run bench` prints, with each measurement judged against its target. */

export const TARGETS = {
  framesLost: 'held with 0 frames lost (target at N=100)',
  latencyP99Ms: 5,
  clearP99Ms: 10,
  floorRatio: 1.5,
  truncationErrorP50Ms: 20,
  rssPerCallMb: 3,
  greetingMs: 50,
} as const;

type Verdict = 'pass' | 'FAIL' | 'n/a';

/** A subject's p99 per direction: over all its rounds' samples together when it ran more than once (rounds.ts). */
export function p99s(x: LevelResult | undefined): [number | null | undefined, number | null | undefined] {
  if (x?.pooledP99) return [x.pooledP99.up, x.pooledP99.down];
  if (x?.medianP99) return [x.medianP99.up, x.medianP99.down];
  return [x?.probe?.callerToOpenAi.p99, x?.probe?.openAiToCaller.p99];
}

/** p99 of `subject` over the floor's p99 at the same level (`level.floor`), per direction. */
function ratios(subject: LevelResult, level: LevelResult): [number | undefined, number | undefined] {
  if (!subject.probe || !level.floor?.probe) return [undefined, undefined];
  const [up, down] = p99s(subject);
  const [floorUp, floorDown] = p99s(level.floor);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || !(b > 0) ? undefined : a / b);
  return [ratio(up, floorUp), ratio(down, floorDown)];
}

/** Frames lost in every round of a subject (the representative round's count when it ran once). */
function lostInAllRounds(x: LevelResult): number | undefined {
  if (x.rounds) return x.rounds.some((r) => r.lost === null) ? undefined : x.rounds.reduce((t, r) => t + r.lost!, 0);
  return x.probe ? x.probe.callerFramesLost + x.probe.replyChunksLost : undefined;
}

const roundList = (x: LevelResult | undefined) =>
  x?.rounds ? x.rounds.map((r) => `${r.upP99 == null ? '–' : r.upP99.toFixed(2)}/${r.downP99 == null ? '–' : r.downP99.toFixed(2)}`).join(', ') : '–';

interface Row {
  metric: string;
  target: string;
  value: (r: LevelResult) => string;
  verdict: (r: LevelResult) => Verdict;
}

const ms = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const pct = (s: Summary | undefined) => (s && s.n > 0 ? `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}` : '–');
const judge = (ok: boolean | undefined): Verdict => (ok === undefined ? 'n/a' : ok ? 'pass' : 'FAIL');
const under = (v: number | null | undefined, limit: number): boolean | undefined =>
  v === null || v === undefined || !Number.isFinite(v) ? undefined : v < limit;

const ROWS: Row[] = [
  {
    metric: 'calls connected / dropped',
    target: 'all N, 0 dropped',
    value: (r) => `${r.connected}/${r.calls}, ${r.droppedCalls} dropped`,
    verdict: (r) => judge(r.error ? false : r.connected === r.calls && r.droppedCalls === 0),
  },
  {
    metric: 'caller→OpenAI added latency p50/p99/max ms',
    target: `p99 < ${TARGETS.latencyP99Ms}`,
    value: (r) => pct(r.probe?.callerToOpenAi),
    verdict: (r) => judge(under(r.probe?.callerToOpenAi.p99, TARGETS.latencyP99Ms)),
  },
  {
    metric: 'OpenAI→caller added latency p50/p99/max ms',
    target: `p99 < ${TARGETS.latencyP99Ms}`,
    value: (r) => pct(r.probe?.openAiToCaller),
    verdict: (r) => judge(under(r.probe?.openAiToCaller.p99, TARGETS.latencyP99Ms)),
  },
  {
    metric: 'p99 ms up/down in each round (interleaved): Deskline; floor',
    target: '(context: the spread between runs)',
    value: (r) => `${roundList(r)}; ${roundList(r.floor)}`,
    verdict: () => 'n/a',
  },
  {
    metric: 'p99 over all rounds’ samples together, caller→OpenAI / OpenAI→caller ms: Deskline; floor (passthrough bridge, same load) [median of the rounds’ own p99s]',
    target: '(the floor is the harness’s own cost)',
    value: (r) => {
      const [up, down] = p99s(r);
      const [fUp, fDown] = p99s(r.floor);
      const med = (x: LevelResult | undefined) => (x?.medianP99 ? `${ms(x.medianP99.up)} / ${ms(x.medianP99.down)}` : '–');
      return `${ms(up)} / ${ms(down)}; ${r.floor?.probe ? `${ms(fUp)} / ${ms(fDown)}` : '–'} [${med(r)}; ${med(r.floor)}]`;
    },
    verdict: () => 'n/a',
  },
  {
    metric: 'Deskline p99 ÷ floor p99 (all rounds’ samples together), caller→OpenAI / OpenAI→caller',
    target: `≤ ${TARGETS.floorRatio}`,
    value: (r) => {
      const [up, down] = ratios(r, r);
      return up === undefined || down === undefined ? '–' : `${up.toFixed(2)} / ${down.toFixed(2)}`;
    },
    verdict: (r) => {
      const [up, down] = ratios(r, r);
      return judge(up === undefined || down === undefined ? undefined : up <= TARGETS.floorRatio && down <= TARGETS.floorRatio);
    },
  },
  {
    metric: 'with a 50 ms disk: p99 ms up / down, all rounds together (÷ floor), lost in all rounds; each round',
    target: `≤ ${TARGETS.floorRatio}× floor, 0 lost`,
    value: (r) => {
      if (!r.slowDisk?.probe) return '–';
      const [p99Up, p99Down] = p99s(r.slowDisk);
      const [up, down] = ratios(r.slowDisk, r);
      return `${ms(p99Up)} / ${ms(p99Down)} (${up?.toFixed(2) ?? '–'} / ${down?.toFixed(2) ?? '–'}), ${lostInAllRounds(r.slowDisk) ?? '–'} lost; ${roundList(r.slowDisk)}`;
    },
    verdict: (r) => {
      const [up, down] = r.slowDisk ? ratios(r.slowDisk, r) : [undefined, undefined];
      const lost = r.slowDisk ? lostInAllRounds(r.slowDisk) : undefined;
      return judge(lost === undefined || up === undefined || down === undefined ? undefined : up <= TARGETS.floorRatio && down <= TARGETS.floorRatio && lost === 0);
    },
  },
  {
    metric: 'caller frames lost (of sent), median round',
    target: '0',
    value: (r) => (r.probe ? `${r.probe.callerFramesLost} of ${r.probe.callerFramesSent}` : '–'),
    verdict: (r) => judge(r.probe ? r.probe.callerFramesLost === 0 && r.probe.callerFramesSent > 0 : undefined),
  },
  {
    metric: 'frames and chunks lost in all Deskline rounds',
    target: '0',
    value: (r) => String(lostInAllRounds(r) ?? '–'),
    verdict: (r) => {
      const lost = lostInAllRounds(r);
      return judge(lost === undefined ? undefined : lost === 0);
    },
  },
  {
    metric: 'reply chunks lost (of sent)',
    target: '0',
    value: (r) => (r.probe ? `${r.probe.replyChunksLost} of ${r.probe.replyChunksSent}` : '–'),
    verdict: (r) => judge(r.probe ? r.probe.replyChunksLost === 0 && r.probe.replyChunksSent > 0 : undefined),
  },
  {
    metric: 'barge-in truncation error p50/p99 ms (n)',
    target: `p50 < ${TARGETS.truncationErrorP50Ms}`,
    value: (r) => {
      const s = r.probe?.truncationError;
      return s && s.n > 0 ? `${ms(s.p50, 0)} / ${ms(s.p99, 0)} (n=${s.n})` : '–';
    },
    verdict: (r) => judge(under(r.probe?.truncationError.p50, TARGETS.truncationErrorP50Ms)),
  },
  {
    metric: 'barge-in clear after speech_started p50/p99 ms (n)',
    target: `p99 < ${TARGETS.clearP99Ms}, every barge-in cleared`,
    value: (r) => {
      const s = r.probe?.bargeInClear;
      if (!r.probe || !s) return '–';
      const missing = r.probe.speechStartedWithoutClear;
      return `${ms(s.p50)} / ${ms(s.p99)} (n=${s.n}${missing ? `, ${missing} without clear` : ''})`;
    },
    verdict: (r) => {
      const ok = under(r.probe?.bargeInClear.p99, TARGETS.clearP99Ms);
      return judge(ok === undefined ? undefined : ok && r.probe!.speechStartedWithoutClear === 0);
    },
  },
  {
    metric: 'first greeting audio after start p50/p99/max ms',
    target: `< ${TARGETS.greetingMs}`,
    value: (r) => pct(r.probe?.firstGreeting),
    verdict: (r) => judge(under(r.probe?.firstGreeting.max, TARGETS.greetingMs)),
  },
  {
    metric: 'greeting parts p50/p99 ms after start: Realtime session up; first chunk sent; engine forwarding',
    target: '(context)',
    value: (r) => {
      const g = r.probe?.greetingParts;
      if (!g) return '–';
      const two = (s: Summary) => (s.n > 0 ? `${ms(s.p50, 1)}/${ms(s.p99, 1)}` : '–');
      return `${two(g.realtimeSessionUp)}; ${two(g.firstChunkSent)}; ${two(g.forwardMs)}`;
    },
    verdict: () => 'n/a',
  },
  {
    metric: 'samples > 5 ms: share in flight during a bench-process stall (up / down)',
    target: '(context: high = simulator-made)',
    value: (r) => {
      const s = r.probe?.slow;
      if (!s) return '–';
      const share = (x: { over: number; duringBenchStall: number }) => (x.over === 0 ? '–' : `${Math.round((100 * x.duringBenchStall) / x.over)}% of ${x.over}`);
      return `${share(s.callerToOpenAi)} / ${share(s.openAiToCaller)}`;
    },
    verdict: () => 'n/a',
  },
  {
    metric: 'engine CPU % of one core (of which kernel)',
    target: '(measured)',
    value: (r) => `${ms(r.engine.cpuPercent, 1)} (${ms(r.engine.cpuSystemPercent, 1)})`,
    verdict: () => 'n/a',
  },
  {
    metric: 'engine RSS per call MB (idle → peak MB)',
    target: `< ${TARGETS.rssPerCallMb}`,
    value: (r) => `${ms(r.engine.rssPerCallMb)} (${ms(r.engine.idleRssMb, 1)} → ${ms(r.engine.peakRssMb, 1)})`,
    verdict: (r) => judge(under(r.engine.rssPerCallMb, TARGETS.rssPerCallMb)),
  },
  {
    metric: 'bench process CPU % / loop delay p99 ms',
    target: '(context)',
    value: (r) => `${ms(r.bench.cpuPercent, 1)} / ${ms(r.bench.loopDelayP99Ms, 1)}`,
    verdict: () => 'n/a',
  },
  {
    metric: 'machine CPU % of one core: all / softirq / other processes',
    target: `(context, max ${100 * (coreCount())})`,
    value: (r) => `${ms(r.machine.busyPercent, 0)} / ${ms(r.machine.softirqPercent, 0)} / ${ms(r.machine.otherProcessesPercent, 0)}`,
    verdict: () => 'n/a',
  },
  {
    metric: 'Twilio sim clock: latest tick ms / skipped ticks',
    target: '(context: sim on time)',
    value: (r) => `${ms(r.twilioClock.maxLateMs, 0)} / ${r.twilioClock.skippedTicks}`,
    verdict: () => 'n/a',
  },
];

/** One column per level: metric | target | N=1 | N=10 | … with "value ✓/✗" cells. */
export function markdownTable(results: LevelResult[]): string {
  const header = ['metric', 'target', ...results.map((r) => `N=${r.calls}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of ROWS) {
    const cells = results.map((r) => {
      const v = row.verdict(r);
      return `${row.value(r)}${v === 'n/a' ? '' : v === 'pass' ? ' ✅' : ' ❌'}`;
    });
    lines.push(`| ${row.metric} | ${row.target} | ${cells.join(' | ')} |`);
  }
  const held = results.find((r) => r.calls === 100);
  const heldOk = held && !held.error && held.connected === 100 && held.droppedCalls === 0 && lostInAllRounds(held) === 0;
  lines.push('');
  lines.push(`100 concurrent calls held with 0 frames lost: ${held ? (heldOk ? 'pass ✅' : 'FAIL ❌') : 'not run'}`);
  for (const r of results) if (r.error) lines.push(`N=${r.calls} did not complete: ${r.error}`);
  if (results.some((r) => r.calls === 1)) {
    lines.push('RSS per call at N=1 is dominated by one-time warm-up of the first call (TLS, SDK, JIT, heap growth), not by the call itself.');
  }
  for (const r of results) {
    if (r.machine.otherProcessesPercent > 25) {
      lines.push(`N=${r.calls} was measured while other processes used ${r.machine.otherProcessesPercent.toFixed(0)}% of a core: its latencies are inflated.`);
    }
  }
  return lines.join('\n');
}

export function verdicts(r: LevelResult): Record<string, Verdict> {
  return Object.fromEntries(ROWS.map((row) => [row.metric, row.verdict(r)]));
}
