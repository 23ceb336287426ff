import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { ACCOUNT_SID, AUTH_TOKEN, OPENAI_KEY, PUBLIC_BASE_URL, TRANSFER_NUMBER } from '../harness/call-rig.js';
import { startEngineProcess, type EngineProcess } from '../harness/engine-process.js';
import { RealtimeSim } from '../sim/realtime/index.js';
import { TwilioSim } from '../sim/twilio/index.js';
import {
  benchDashboardLoad,
  ensureBenchAccount,
  benchLiveTranscript,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  LIVE_CALLS,
  LIVE_TARGET_P99_MS,
  liveScript,
  LOAD_TARGET_MS,
  LoginLinks,
  type LiveResult,
  type LoadResult,
  withTimeout,
} from './dashboard-browser.js';
import { benchCallSearch, SEARCH_TARGET_P99_MS, type SearchBenchResult } from './dashboard-search.js';
import { seededDatabase, type SeedInfo } from './dashboard-seed.js';

/**
 * The dashboard's figures for `npm run bench`: call-log search over 100,000 calls at the API,
 * the initial load in Chromium, and transcript lines reaching the page with 20 live calls.
 * One engine (the built one, as its own process) runs on a copy of the cached seeded
 * database between the Twilio and Realtime simulators for all three. Measures and reports;
 * a missed target, or a part that could not run, never fails the bench.
 */

const LOAD_RUNS = 5;
const SEARCH_BUDGET_MS = 25_000;

/** The engine's own verified backup of the seeded database, with /health/live polled meanwhile. */
export interface BackupRun {
  ok: boolean;
  ms: number;
  bytes: number | null;
  /** Slowest /health/live answer while the backup ran: how long the engine could not respond. */
  worstHealthMs: number;
  error?: string;
}

/**
 * Runs the engine's daily backup up front: otherwise its scheduler starts one (copy plus
 * integrity_check of the whole file) a minute after start, in the middle of the measurements.
 */
async function backupFirst(engine: EngineProcess): Promise<BackupRun> {
  let done = false;
  let worstHealthMs = 0;
  const pinger = (async () => {
    for (let i = 0; !done && i < 6000; i++) {
      const t = performance.now();
      await fetch(`${engine.staffUrl}/health/live`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer()).catch(() => undefined);
      worstHealthMs = Math.max(worstHealthMs, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const t = performance.now();
  try {
    const res = await fetch(`${engine.staffUrl}/api/handlers/backups/run`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${engine.token}`, 'Content-Type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await res.json()) as { ok: boolean; value?: { bytes?: number }; error?: { message: string } };
    const ms = performance.now() - t;
    return body.ok ? { ok: true, ms, bytes: body.value?.bytes ?? null, worstHealthMs } : { ok: false, ms, bytes: null, worstHealthMs, error: body.error?.message ?? `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, ms: performance.now() - t, bytes: null, worstHealthMs, error: (err as Error).message };
  } finally {
    done = true;
    await pinger;
  }
}

export interface DashboardReport {
  markdown: string;
  data: {
    seed: (Omit<SeedInfo, 'callerSample'> & { builtThisRun: boolean }) | null;
    backup: BackupRun | null;
    search: SearchBenchResult | null;
    load: LoadResult | null;
    live: LiveResult | null;
    errors: string[];
    durationS: number;
  };
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const mark = (ok: boolean | null) => (ok === null ? '' : ok ? ' ✅' : ' ❌');

async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export async function dashboardReport(progress: (line: string) => void = (l) => process.stderr.write(`[bench] ${l}\n`)): Promise<DashboardReport> {
  const started = performance.now();
  const errors: string[] = [];
  const note = (what: string, err: unknown) => {
    const message = `${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    errors.push(message);
    progress(`dashboard: ${message}`);
  };
  let seed: DashboardReport['data']['seed'] = null;
  let backup: BackupRun | null = null;
  let search: SearchBenchResult | null = null;
  let load: LoadResult | null = null;
  let live: LiveResult | null = null;

  const dataDir = mkdtempSync(join(tmpdir(), 'deskline-bench-dashboard-'));
  let realtime: RealtimeSim | undefined;
  let twilio: TwilioSim | undefined;
  let engine: EngineProcess | undefined;
  let browser: Browser | undefined;
  try {
    const db = seededDatabase(progress);
    const { callerSample: _, ...info } = db.info;
    seed = { ...info, builtThisRun: db.built };
    copyFileSync(db.path, join(dataDir, 'deskline.sqlite'));

    realtime = await RealtimeSim.start({ apiKey: OPENAI_KEY, script: liveScript, keepInputAudio: false, recordAudioEvents: false });
    twilio = await TwilioSim.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL, clockPhases: 10 });
    engine = await startEngineProcess(
      {
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: realtime.baseUrl,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_API_BASE_URL: twilio.restBaseUrl,
        PUBLIC_BASE_URL,
        DESKLINE_TRANSFER_NUMBER: TRANSFER_NUMBER,
        LOG_LEVEL: 'warn',
      },
      { dataDir, timeoutMs: 30_000 },
    );
    twilio.engineUrl = engine.publicUrl;
    const links = new LoginLinks(engine);
    await ensureBenchAccount(engine);
    backup = await backupFirst(engine);
    if (!backup.ok) progress(`dashboard: backups/run: ${backup.error} (the scheduled backup may land during the measurements)`);

    progress(`dashboard: timing calls/search over ${db.info.calls.toLocaleString('en-US')} calls (${db.info.lines.toLocaleString('en-US')} transcript lines)`);
    try {
      search = await benchCallSearch({ staffUrl: engine.staffUrl, token: engine.token, dbPath: join(dataDir, 'deskline.sqlite'), info: db.info, budgetMs: SEARCH_BUDGET_MS, progress });
    } catch (err) {
      note('call search', err);
    }

    if (!existsSync(CHROMIUM_PATH)) {
      note('browser', new Error(`${CHROMIUM_PATH} is missing: the load and live figures need Chromium`));
    } else {
      try {
        browser = await launchChromium();
      } catch (err) {
        note('launching Chromium', err);
      }
    }
    if (browser) {
      progress(`dashboard: loading the dashboard in ${LOAD_RUNS} fresh Chromium contexts`);
      try {
        load = await benchDashboardLoad(browser, links, LOAD_RUNS);
      } catch (err) {
        note('dashboard load', err);
      }
      progress(`dashboard: ${LIVE_CALLS} live calls streaming with Live calls open`);
      try {
        live = await benchLiveTranscript({ browser, links, engine, twilio, progress });
      } catch (err) {
        note('live transcript', err);
      }
    }
  } catch (err) {
    note('setup', err);
  } finally {
    await browser?.close().catch((err: unknown) => note('closing Chromium', err));
    if (engine) {
      try {
        await withTimeout(engine.stop(), 10_000, 'engine stop after SIGTERM');
      } catch (err) {
        note('engine stop', err);
        await engine.kill();
      }
    }
    await twilio?.close().catch((err: unknown) => note('closing the Twilio sim', err));
    await realtime?.close().catch((err: unknown) => note('closing the Realtime sim', err));
    rmSync(dataDir, { recursive: true, force: true });
  }

  const durationS = Math.round((performance.now() - started) / 100) / 10;
  return { markdown: markdown(seed, backup, search, load, live, errors, durationS), data: { seed, backup, search, load, live, errors, durationS } };
}

function markdown(seed: DashboardReport['data']['seed'], backup: BackupRun | null, search: SearchBenchResult | null, load: LoadResult | null, live: LiveResult | null, errors: string[], durationS: number): string {
  const rows: string[] = [];
  if (search) {
    for (const k of [...search.kinds, search.overall]) {
      const label = k.kind === 'all' ? '**call-log search, all kinds**' : `call-log search: ${k.kind}`;
      rows.push(`| ${label} | p99 < ${SEARCH_TARGET_P99_MS} | ${k.n} | ${fmt(k.p50)} / ${fmt(k.p99)} / ${fmt(k.max)}${mark(k.p99 === null ? null : k.p99 < SEARCH_TARGET_P99_MS)} |`);
    }
  } else rows.push(`| call-log search | p99 < ${SEARCH_TARGET_P99_MS} | 0 | not measured |`);
  if (load) {
    rows.push(`| dashboard load, signed in, empty cache (→ Live calls usable) | < ${LOAD_TARGET_MS} | ${load.n} | ${fmt(load.p50, 0)} / – / ${fmt(load.max, 0)}${mark(load.max === null ? null : load.max < LOAD_TARGET_MS)} |`);
  } else rows.push(`| initial dashboard load | < ${LOAD_TARGET_MS} | 0 | not measured |`);
  if (live) {
    const missing = live.missing > 0 ? ` (${live.missing} of ${live.lines} lines never shown)` : '';
    rows.push(
      `| transcript line → text in DOM, ${live.calls} live calls | p99 < ${LIVE_TARGET_P99_MS} | ${live.n} | ${fmt(live.p50, 0)} / ${fmt(live.p99, 0)} / ${fmt(live.max, 0)}${mark(live.p99 === null ? null : live.p99 < LIVE_TARGET_P99_MS && live.missing === 0)}${missing} |`,
    );
  } else rows.push(`| transcript line → text in DOM | p99 < ${LIVE_TARGET_P99_MS} | 0 | not measured |`);

  const slow = (search?.slowPlans ?? [])
    .map((p) => `- ${p.kind}, slowest query \`${JSON.stringify(p.args)}\`: ${p.apiMs.toFixed(1)} ms at the API, ${p.sqlMs.toFixed(1)} ms for the SQL alone in-process. Plan:\n\n  \`\`\`\n${p.plan.map((l) => `  ${l}`).join('\n')}\n  \`\`\``)
    .join('\n');
  return (
    `\n## Dashboard (${seed ? `${seed.calls.toLocaleString('en-US')} calls over 2 years, ${seed.lines.toLocaleString('en-US')} transcript lines, real SQLite file` : 'no seeded database'}; ${durationS} s)\n\n` +
    '| measure | target ms | n | p50 / p99 / max ms |\n|---|---|---|---|\n' +
    rows.join('\n') +
    '\n\n' +
    `Search: HTTP POST /api/handlers/calls/search with the bearer token, page size 200, request sent → JSON parsed in the bench process, one at a time against an otherwise idle engine (warm-up queries excluded; with 74–80 samples per kind, a kind's p99 is its maximum). ` +
    `Load: in-page performance.now() from navigation start of a signed-in dashboard (signed in through the one-time link and a PIN first, untimed; then the browser cache emptied) to the first frame with the Screens navigation, "Deskline: OK" in the status bar and the live board's snapshot, each in a fresh browser context. ` +
    `Live: Date.now() when a MutationObserver saw the line's text added to the page minus the line's spokenAt (the engine's Date.now() just before it committed the line to SQLite), so it includes the fsync, the WebSocket hop, React's render and the browser's scheduling, with the engine, simulators, bench and Chromium on the same ${cpus().length}-core machine.\n` +
    (backup?.ok
      ? `The engine's verified backup (backups/run) was run first so its scheduler would not start one mid-run: ${(backup.ms / 1000).toFixed(1)} s for ${((backup.bytes ?? 0) / 1e6).toFixed(0)} MB, /health/live answered within ${backup.worstHealthMs.toFixed(0)} ms throughout.\n`
      : '') +
    (slow ? `\nSlow searches:\n\n${slow}\n` : '') +
    (errors.length > 0 ? `\nNot measured / problems: ${errors.join('; ')}\n` : '')
  );
}
