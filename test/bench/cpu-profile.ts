/**
 * Where the engine spent its CPU, from a V8 CPU profile (the inspector's Profiler.stop
 * result): top functions by self time, and the engine's own functions by inclusive time.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  fn: string;
  where: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  /** Where the full profile was saved (open it in Chrome DevTools). */
  path: string;
  sampledMs: number;
  /** Samples with the engine's main thread idle (waiting in epoll). */
  idlePercent: number;
  gcPercent: number;
  topSelf: ProfileEntry[];
  /** Inclusive time of the engine's own functions (voice-engine/dist), callers included. */
  topEngineInclusive: ProfileEntry[];
}

function label(f: CallFrame): { fn: string; where: string } {
  const url = f.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/')
    ? url.slice(url.lastIndexOf('/node_modules/') + 14)
    : url.includes('/voice-engine/')
      ? url.slice(url.indexOf('/voice-engine/') + 1)
      : url;
  return { fn: f.functionName || '(anonymous)', where: short ? `${short}:${f.lineNumber + 1}` : '' };
}

export function summarizeProfile(profile: CpuProfile, path: string, top = 15): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let gc = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // A sample stands for the time until the next one.
    const weight = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    total += weight;
    const name = node.callFrame.functionName;
    if (name === '(idle)') idle += weight;
    if (name === '(garbage collector)') gc += weight;
    const { fn, where } = label(node.callFrame);
    const key = `${fn}\t${where}`;
    self.set(key, (self.get(key) ?? 0) + weight);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!frame.url.includes('/voice-engine/dist/')) continue;
      const l = label(frame);
      const k = `${l.fn}\t${l.where}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + weight);
    }
  }
  const entries = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => {
        const [fn, where] = k.split('\t') as [string, string];
        return { fn, where, ms: Math.round(ms), percent: total > 0 ? Math.round((ms / total) * 1000) / 10 : 0 };
      });
  return {
    path,
    sampledMs: Math.round(total),
    idlePercent: total > 0 ? Math.round((idle / total) * 1000) / 10 : 0,
    gcPercent: total > 0 ? Math.round((gc / total) * 1000) / 10 : 0,
    topSelf: entries(self),
    topEngineInclusive: entries(inclusive),
  };
}
