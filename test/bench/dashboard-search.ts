import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { CallSearchQuery } from '../../voice-engine/src/contract-views.js';
import { CallSearch } from '../../voice-engine/src/store/call-search.js';
import type { Db } from '../../voice-engine/src/store/db.js';
import { type SeedInfo } from './dashboard-seed.js';
import { seededRandom } from '../sim/seeded-random.js';
import { summarize, type Summary } from './stats.js';

/**
 * `calls/search` over the staff API (HTTP POST with the bearer token, as a program or the
 * dashboard's HTTP fallback would), timed from the request until its JSON is parsed, against
 * the engine holding the seeded 100,000-call database. Five kinds of query, interleaved:
 * transcript words (one, two), caller digits, outcome + date range, and paging with beforeId.
 * Page size 200, as the call log screen asks for.
 */

export const SEARCH_TARGET_P99_MS = 50;
const PAGE = 200;
const PER_KIND = 80;
const PAGING_CHAINS = 20;
const PAGES_AFTER_FIRST = 4;
const WARMUP = 12;

export type SearchKind = 'one word' | 'two words' | 'caller digits' | 'outcome + dates' | 'paging (beforeId)';
export const SEARCH_KINDS: SearchKind[] = ['one word', 'two words', 'caller digits', 'outcome + dates', 'paging (beforeId)'];

export interface SearchSample {
  kind: SearchKind;
  args: CallSearchQuery;
  ms: number;
  rows: number;
}

export interface SearchKindResult extends Summary {
  kind: SearchKind | 'all';
  /** Rows returned per query, median. */
  medianRows: number;
  worst: Array<{ ms: number; args: CallSearchQuery; rows: number }>;
}

export interface SlowQueryPlan {
  kind: SearchKind;
  args: CallSearchQuery;
  apiMs: number;
  /** The same query run in this process with better-sqlite3 on the same file: median of 3. */
  sqlMs: number;
  sql: string;
  plan: string[];
}

export interface SearchBenchResult {
  kinds: SearchKindResult[];
  overall: SearchKindResult;
  samples: number;
  stoppedEarly: boolean;
  slowPlans: SlowQueryPlan[];
}

/** Words nobody types into a transcript search. */
const STOP = new Set(
  'that this with have your what when where there their they them then than from will would could should been were here just like about into also some only over such very does done dont cant youre well okay yes sure please thanks thank hello good right now today'.split(' '),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((w) => !STOP.has(w));
}

/** The SQL and parameters (limit included) CallSearch builds for a query, captured from its own code rather than copied. */
function sqlFor(query: CallSearchQuery): { sql: string; params: unknown[] } {
  let sql = '';
  let params: unknown[] = [];
  const fake = {
    prepare: (s: string) => {
      sql = s;
      return { all: (...p: unknown[]) => ((params = p), []) };
    },
  } as unknown as Db;
  new CallSearch(fake).search(query, PAGE);
  return { sql, params };
}

interface Task {
  kind: SearchKind;
  run(search: (args: CallSearchQuery) => Promise<{ ms: number; rows: number; next: number | null }>): Promise<SearchSample[]>;
}

/** Builds the query mix from real transcript lines and callers in the seeded file. */
function planTasks(dbPath: string, info: SeedInfo): Task[] {
  const r = seededRandom(0xc0ffee);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  const lineText = db.prepare<[number], { text: string }>('SELECT text FROM transcript_lines WHERE id = ?');
  const randomLineWords = (min: number): string[] => {
    for (let tries = 0; tries < 50; tries++) {
      const row = lineText.get(1 + Math.floor(r() * info.lines));
      const words = [...new Set(contentWords(row?.text ?? ''))];
      if (words.length >= min) return words;
    }
    return ['appointment', 'insurance'];
  };
  const tasks: Record<SearchKind, Task[]> = { 'one word': [], 'two words': [], 'caller digits': [], 'outcome + dates': [], 'paging (beforeId)': [] };
  const single = (kind: SearchKind, args: CallSearchQuery): Task => ({
    kind,
    run: async (search) => {
      const { ms, rows } = await search(args);
      return [{ kind, args, ms, rows }];
    },
  });
  try {
    const span = info.lastStartedAt - info.firstStartedAt;
    for (let i = 0; i < PER_KIND; i++) {
      tasks['one word'].push(single('one word', { text: pick(randomLineWords(1)) }));
      const two = randomLineWords(2);
      const a = two.splice(Math.floor(r() * two.length), 1)[0]!;
      tasks['two words'].push(single('two words', { text: `${a} ${pick(two)}` }));
      const phone = pick(info.callerSample).replace(/\D/g, '');
      // Mostly the last four digits, as staff read them off a caller ID; sometimes seven.
      tasks['caller digits'].push(single('caller digits', { caller: r() < 0.8 ? phone.slice(-4) : phone.slice(-7) }));
      const days = pick([7, 14, 31]);
      const from = info.firstStartedAt + Math.floor(r() * (span - days * 86_400_000));
      tasks['outcome + dates'].push(single('outcome + dates', { outcome: pick(info.outcomes), from, to: from + days * 86_400_000 }));
    }
    for (let c = 0; c < PAGING_CHAINS; c++) {
      const base: CallSearchQuery = c % 3 === 0 ? {} : c % 3 === 1 ? { outcome: pick(info.outcomes) } : { text: pick(randomLineWords(1)) };
      tasks['paging (beforeId)'].push({
        kind: 'paging (beforeId)',
        run: async (search) => {
          const out: SearchSample[] = [];
          let { next } = await search(base);
          for (let p = 0; p < PAGES_AFTER_FIRST && next !== null; p++) {
            const args = { ...base, beforeId: next };
            const page = await search(args);
            out.push({ kind: 'paging (beforeId)', args, ms: page.ms, rows: page.rows });
            next = page.next;
          }
          return out;
        },
      });
    }
  } finally {
    db.close();
  }
  // Interleave the kinds so a cut-short run still measures all of them.
  const order: Task[] = [];
  const longest = Math.max(...Object.values(tasks).map((t) => t.length));
  for (let i = 0; i < longest; i++) for (const kind of SEARCH_KINDS) if (tasks[kind][i]) order.push(tasks[kind][i]!);
  return order;
}

function kindResult(kind: SearchKind | 'all', samples: SearchSample[]): SearchKindResult {
  const s = summarize(samples.map((x) => x.ms));
  const rows = samples.map((x) => x.rows).sort((a, b) => a - b);
  const worst = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3).map((x) => ({ ms: Math.round(x.ms * 100) / 100, args: x.args, rows: x.rows }));
  return { kind, ...s, medianRows: rows[Math.floor(rows.length / 2)] ?? 0, worst };
}

/** EXPLAIN QUERY PLAN and an in-process timing for the slowest query of each kind that missed. */
function explainSlow(dbPath: string, kinds: SearchKindResult[]): SlowQueryPlan[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const out: SlowQueryPlan[] = [];
    for (const k of kinds) {
      if (k.kind === 'all' || (k.p99 ?? 0) < SEARCH_TARGET_P99_MS || !k.worst[0]) continue;
      const { args, ms } = k.worst[0];
      const { sql, params } = sqlFor(args);
      const depth = new Map<number, number>([[0, -1]]);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ id: number; parent: number; detail: string }>).map((row) => {
        const d = (depth.get(row.parent) ?? -1) + 1;
        depth.set(row.id, d);
        return `${'  '.repeat(d)}${row.detail}`;
      });
      const stmt = db.prepare(sql);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        stmt.all(...params);
        times.push(performance.now() - t);
      }
      out.push({ kind: k.kind, args, apiMs: ms, sqlMs: Math.round(times.sort((a, b) => a - b)[1]! * 100) / 100, sql, plan });
    }
    return out;
  } finally {
    db.close();
  }
}

export async function benchCallSearch(opts: { staffUrl: string; token: string; dbPath: string; info: SeedInfo; budgetMs: number; progress: (line: string) => void }): Promise<SearchBenchResult> {
  const { staffUrl, token, dbPath, info, budgetMs, progress } = opts;
  const search = async (args: CallSearchQuery) => {
    const t = performance.now();
    const res = await fetch(`${staffUrl}/api/handlers/calls/search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...args, limit: PAGE }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { ok: boolean; value?: { calls: unknown[]; nextBeforeId: number | null }; error?: { message: string } };
    const ms = performance.now() - t;
    if (!body.ok || !body.value) throw new Error(`calls/search ${JSON.stringify(args)} failed: ${res.status} ${body.error?.message ?? ''}`);
    return { ms, rows: body.value.calls.length, next: body.value.nextBeforeId };
  };

  const tasks = planTasks(dbPath, info);
  // Warm-up, not counted: the first use of each statement shape prepares it, and the page cache fills.
  for (const task of tasks.slice(0, WARMUP)) await task.run(search);

  const samples: SearchSample[] = [];
  const deadline = performance.now() + budgetMs;
  let stoppedEarly = false;
  for (const [i, task] of tasks.entries()) {
    if (performance.now() > deadline) {
      stoppedEarly = true;
      progress(`dashboard: search budget (${Math.round(budgetMs / 1000)} s) spent after ${i} of ${tasks.length} query tasks`);
      break;
    }
    samples.push(...(await task.run(search)));
  }
  const kinds = SEARCH_KINDS.map((k) => kindResult(k, samples.filter((s) => s.kind === k)));
  const overall = kindResult('all', samples);
  return { kinds, overall, samples: samples.length, stoppedEarly, slowPlans: explainSlow(dbPath, kinds) };
}
