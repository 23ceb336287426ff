import { performance } from 'node:perf_hooks';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import type { TranscriptLine } from '../../voice-engine/src/contract.js';
import type { EngineProcess } from '../harness/engine-process.js';
import { silence, speech } from '../sim/audio.js';
import type { Script } from '../sim/realtime/index.js';
import type { SimCall, TwilioSim } from '../sim/twilio/index.js';
import { summarize, type Summary } from './stats.js';

/**
 * The dashboard in headless Chromium against the engine: how long a fresh browser takes from
 * a signed-in dashboard's navigation (cache emptied) to a usable Live calls screen, and how long a transcript line takes
 * from the engine committing it to its text being in the page while 20 calls stream.
 */

export const LOAD_TARGET_MS = 1000;
export const LIVE_TARGET_P99_MS = 100;
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const VIEWPORT = { width: 1400, height: 900 };

const LINK_RE = /(?:Open the dashboard with this one-time link|Next one-time dashboard login link): (http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]+)/g;

/**
 * The engine prints a fresh one-time link after each one is spent; this hands out each
 * printed link once, waiting (bounded) for the next to appear.
 */
export class LoginLinks {
  private used = new Set<string>();
  constructor(private readonly engine: EngineProcess) {}

  async next(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const links = [...this.engine.output().matchAll(LINK_RE)].map((m) => m[1]!);
      const latest = links.at(-1);
      if (latest && !this.used.has(latest)) {
        this.used.add(latest);
        return latest;
      }
      if (Date.now() > deadline) throw new Error(`the engine printed no fresh one-time login link within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/**
 * Installed before any page script. Records (performance.now(), from navigation start) when the
 * Live calls screen is usable: the Screens navigation is on the page, the status bar says
 * "Deskline: OK" (the WebSocket is open and status/get was answered), and the live board has
 * its live/list snapshot (the board or "No calls right now." instead of the loading note);
 * "ready" is the first animation frame after all three hold. It also stamps, with Date.now(),
 * the first moment each transcript tag (T<session>x<line>) is in the DOM.
 */
const PAGE_PROBE = `(() => {
  const probe = { marks: {}, readyAt: null, readyWall: null, seen: {} };
  Object.defineProperty(window, '__deskBench', { value: probe });
  const mark = (name) => { if (!(name in probe.marks)) probe.marks[name] = performance.now(); };
  const ready = () => {
    const nav = document.querySelector('nav[aria-label="Screens"]');
    if (!nav) return false;
    mark('nav');
    const title = document.getElementById('live-title');
    if (!title) return false;
    mark('liveScreen');
    const ok = document.querySelector('footer.status-bar li[aria-label="Deskline: OK"]');
    if (ok) mark('engineOk');
    const screen = title.closest('section');
    const listed = screen && !screen.querySelector('.loading') && (screen.querySelector('.live-grid') || screen.querySelector('.empty'));
    if (listed) mark('liveList');
    return Boolean(ok && listed);
  };
  // Nothing before the tag is required: the speaker label ('Receptionist', 'Caller') runs straight into the text.
  const TAG = /T\\d+x\\d+(?!\\d)/g;
  const scan = (text, at) => {
    if (!text || text.indexOf('T') < 0) return;
    for (const m of text.matchAll(TAG)) if (!(m[0] in probe.seen)) probe.seen[m[0]] = at;
  };
  let waitingFrame = false;
  const observer = new MutationObserver((records) => {
    const at = Date.now();
    for (const r of records) {
      if (r.type === 'characterData') scan(r.target.data, at);
      else for (const n of r.addedNodes) scan(n.textContent, at);
    }
    if (probe.readyAt === null && !waitingFrame && ready()) {
      waitingFrame = true;
      requestAnimationFrame(() => { probe.readyAt = performance.now(); probe.readyWall = Date.now(); });
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
})();`;

interface ProbeState {
  marks: Record<string, number>;
  readyAt: number | null;
  readyWall: number | null;
  seen: Record<string, number>;
}

// Strings, not functions: this file is type-checked without the DOM library.
// Before the new document has run the init script there is no probe yet: report nothing reached.
const probeState = (page: Page) => page.evaluate<ProbeState>('window.__deskBench || { marks: {}, readyAt: null, readyWall: null, seen: {} }');

/** A fresh context (no cookies, empty cache) with the probe installed. */
async function freshPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(PAGE_PROBE);
  return { context, page: await context.newPage() };
}

export interface LoadSample {
  /** Navigation start (a signed-in dashboard opened with an empty cache) → first frame with the Live calls screen usable. */
  readyMs: number;
  /** Same, measured outside the page: page.goto issued → ready (adds the DevTools round trip). */
  outsideMs: number;
  marks: Record<string, number>;
  redirects: number;
  url: string;
}

/** The person the bench signs in as (made through the API token, as IT would). */
const BENCH_PERSON = { name: 'Bench Admin', pin: '582913' };

/** Makes the bench's account through the staff API unless it exists. */
export async function ensureBenchAccount(engine: EngineProcess): Promise<void> {
  const call = async (name: string, args: unknown) => {
    const res = await fetch(`${engine.staffUrl}/api/handlers/${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${engine.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    return (await res.json()) as { ok: boolean; value?: Array<{ name: string }>; error?: { message: string } };
  };
  const list = await call('accounts/list', {});
  if (list.ok && list.value?.some((a) => a.name === BENCH_PERSON.name)) return;
  const made = await call('accounts/create', { name: BENCH_PERSON.name, role: 'admin', secretKind: 'pin', secret: BENCH_PERSON.pin });
  if (!made.ok) throw new Error(`could not make the bench's staff account: ${made.error?.message}`);
}

/**
 * Staff open the dashboard through the one-time link (which opens the sign-in screen) and
 * sign in with their PIN. That part is people's time, so it is not measured: the measured
 * load is the one after it, a signed-in dashboard opened again with the browser cache
 * emptied (the tab keeps its session, as a reload does).
 */
async function signIn(page: Page, link: string, timeoutMs: number): Promise<void> {
  await page.goto(link, { timeout: timeoutMs });
  await page.getByRole('group', { name: 'Who are you?' }).getByRole('button', { name: new RegExp(`^${BENCH_PERSON.name}`) }).click({ timeout: timeoutMs });
  await page.getByLabel(`${BENCH_PERSON.name}'s PIN`).fill(BENCH_PERSON.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor({ timeout: timeoutMs });
}

/** Signs in through `link`, then opens '#/live' with an empty cache and waits (bounded) until the Live calls screen is usable. */
async function openLive(page: Page, link: string, timeoutMs = 15_000): Promise<LoadSample> {
  await signIn(page, link, timeoutMs);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  // Away first: the signed-in page is already on this origin, and a goto that only changes the
  // hash would be a same-document navigation (no new load to measure). The tab keeps its session.
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(`${new URL(link).origin}/#/live`, { waitUntil: 'commit', timeout: timeoutMs });
  // Polled from here: waitForFunction compiles its predicate in the page, which the dashboard's CSP refuses.
  const deadline = Date.now() + timeoutMs;
  let state = await probeState(page);
  while (state.readyAt === null) {
    if (Date.now() > deadline) throw new Error(`the Live calls screen was not usable within ${timeoutMs} ms (reached: ${Object.keys(state.marks).join(', ') || 'nothing'}; at ${page.url()})`);
    await new Promise((r) => setTimeout(r, 50));
    state = await probeState(page);
  }
  const nav = await page.evaluate<{ redirects: number; url: string }>(
    "({ redirects: performance.getEntriesByType('navigation')[0]?.redirectCount ?? -1, url: location.pathname + location.hash })",
  );
  return {
    readyMs: state.readyAt!,
    outsideMs: state.readyWall! - t0,
    marks: Object.fromEntries(Object.entries(state.marks).map(([k, v]) => [k, Math.round(v)])),
    redirects: nav.redirects,
    url: nav.url,
  };
}

export interface LoadResult extends Summary {
  samples: LoadSample[];
}

/** `count` fresh browser contexts, each from its own one-time link. */
export async function benchDashboardLoad(browser: Browser, links: LoginLinks, count: number): Promise<LoadResult> {
  const samples: LoadSample[] = [];
  for (let i = 0; i < count; i++) {
    const { context, page } = await freshPage(browser);
    try {
      samples.push(await openLive(page, await links.next()));
    } finally {
      await context.close();
    }
  }
  return { ...summarize(samples.map((s) => s.readyMs)), samples };
}

// ---------------------------------------------------------------------------------------
// Live transcript latency.

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

export const LIVE_CALLS = 20;
const TURNS = 6;
const LEAD_SILENCE_MS = 2500;
const GAP_MS = 1600;
const PLACE_EVERY_MS = 150;
const CALLER_SAYS = ['Hi, I need an appointment', 'Tuesday morning please', 'Yes, that works', 'My name is Maria', 'Thank you so much', 'Goodbye'];
const CALLER_TEXT = ['I need an appointment for a checkup', 'Tuesday morning would be best', 'Yes that works for me', 'My name is Maria Lopez', 'Thank you so much', 'Okay goodbye'];
const RECEPTIONIST_TEXT = ['Sure, what day suits you best?', 'I have nine thirty on Tuesday.', 'Great, may I have your name?', 'Thanks Maria, you are booked.', 'You are welcome, anything else?', 'Goodbye, see you Tuesday.'];

/** Session s's script: every line carries a tag T<s>x<n> unique in the whole run. */
export function liveScript(s: number): Script {
  return {
    greeting: [{ say: `T${s}x0 Thank you for calling Riverside Family Clinic, how can I help?` }],
    turns: Array.from({ length: TURNS }, (_, k) => ({
      user: `T${s}x${2 * k + 1} ${CALLER_TEXT[k % CALLER_TEXT.length]}`,
      replies: [{ say: `T${s}x${2 * k + 2} ${RECEPTIONIST_TEXT[k % RECEPTIONIST_TEXT.length]}` }],
    })),
  };
}

export interface LiveResult extends Summary {
  calls: number;
  /** transcript.line events seen on the staff socket during the run. */
  lines: number;
  /** Lines whose text never appeared in the page. */
  missing: number;
  bySpeaker: Record<string, Summary>;
  worst: Array<{ tag: string; ms: number; speaker: string }>;
  /** Engine commit → the event reaching this bench process's own staff socket, for comparison. */
  socketMs: Summary;
  streamingMs: number;
}

/** 20 calls streaming at once with the dashboard open on Live calls. */
export async function benchLiveTranscript(opts: {
  browser: Browser;
  links: LoginLinks;
  engine: EngineProcess;
  twilio: TwilioSim;
  progress: (line: string) => void;
}): Promise<LiveResult> {
  const { browser, links, engine, twilio, progress } = opts;
  const events: Array<{ line: TranscriptLine; receivedAt: number }> = [];
  const ws = new WebSocket(`${engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Authorization: `Bearer ${engine.token}` } });
  ws.on('message', (data) => {
    const receivedAt = Date.now();
    const e = JSON.parse(data.toString()) as { event: string; payload: TranscriptLine };
    if (e.event === 'transcript.line' && /^T\d+x\d+\b/.test(e.payload.text)) events.push({ line: e.payload, receivedAt });
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the staff event socket did not open within 5 s')), 5000);
    ws.once('open', () => (clearTimeout(timer), resolve()));
    ws.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
  ws.on('error', () => undefined); // a socket dropped at the end must not take the bench down

  const calls: SimCall[] = [];
  let context: BrowserContext | undefined;
  try {
    const fresh = await freshPage(browser);
    context = fresh.context;
    const page = fresh.page;
    await openLive(page, await links.next());
    const said = CALLER_SAYS.map((p) => speech(p));
    const audio = Buffer.concat([silence(LEAD_SILENCE_MS), ...Array.from({ length: TURNS }, (_, k) => [said[k % said.length]!, silence(GAP_MS)]).flat()]);
    const expected = LIVE_CALLS * (1 + 2 * TURNS);
    const started = performance.now();
    const placing: Array<Promise<void>> = [];
    for (let i = 0; i < LIVE_CALLS; i++) {
      placing.push(
        twilio.placeCall({ from: `+1503555${String(2000 + i).padStart(4, '0')}`, to: '+15035550100', recordReceived: false }).then((call) => {
          calls.push(call);
          call.say(audio);
        }),
      );
      await new Promise((r) => setTimeout(r, PLACE_EVERY_MS));
    }
    await withTimeout(Promise.all(placing), 30_000, 'placing the calls');
    // Each call's script runs for about its audio's length; allow that plus slack, then stop waiting.
    const deadline = performance.now() + audio.length / 8 + 10_000;
    while (events.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const streamingMs = performance.now() - started;
    progress(`dashboard: ${events.length}/${expected} transcript lines from ${calls.length} calls in ${(streamingMs / 1000).toFixed(1)} s`);
    // Give the page a bounded moment to show the last lines.
    let seen: Record<string, number> = {};
    const catchUp = Date.now() + 3000;
    for (;;) {
      seen = (await probeState(page)).seen;
      if (events.every((e) => e.line.text.split(' ')[0]! in seen) || Date.now() > catchUp) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const latencies: Array<{ tag: string; ms: number; speaker: string }> = [];
    let missing = 0;
    for (const { line } of events) {
      const tag = line.text.split(' ')[0]!;
      const at = seen[tag];
      if (at === undefined) missing++;
      else latencies.push({ tag, ms: at - line.spokenAt, speaker: line.speaker });
    }
    const bySpeaker: Record<string, Summary> = {};
    for (const speaker of ['caller', 'receptionist']) bySpeaker[speaker] = summarize(latencies.filter((l) => l.speaker === speaker).map((l) => l.ms));
    return {
      ...summarize(latencies.map((l) => l.ms)),
      calls: calls.length,
      lines: events.length,
      missing,
      bySpeaker,
      worst: [...latencies].sort((a, b) => b.ms - a.ms).slice(0, 5),
      socketMs: summarize(events.map((e) => e.receivedAt - e.line.spokenAt)),
      streamingMs: Math.round(streamingMs),
    };
  } finally {
    await withTimeout(Promise.allSettled(calls.map((c) => c.hangup())), 5000, 'hanging up').catch(() => undefined);
    ws.close();
    await context?.close();
  }
}
