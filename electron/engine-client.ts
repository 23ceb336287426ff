import type { PortClient } from './supervisor.js';

/**
 * Main's own line to the engine, over a port like any dashboard window's, speaking the
 * same contract (voice-engine/src/contract.ts). The tray and the quit prompt need two
 * facts: how many calls are live, and whether the engine can answer at all. Asking the
 * engine keeps that logic in the engine; main only counts what it is told.
 */

/** The contract's Reply, restated because electron/ compiles on its own; a type test keeps them identical. */
export type ErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'UNKNOWN_HANDLER' | 'INTERNAL' | 'SIGNED_OUT' | 'LOCKED' | 'FORBIDDEN';
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export interface EnginePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}

export interface EngineView {
  connected: boolean;
  activeCalls: number;
  /** The first readiness check that fails (e.g. no OpenAI key yet), in the engine's words. */
  notReady: string | null;
}

/** Events after which the number of live calls may have changed. */
const CALL_EVENTS = new Set(['call.started', 'call.updated', 'call.ended']);

interface Pending {
  resolve: (reply: Reply<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class EngineClient implements PortClient<EnginePort> {
  private port: EnginePort | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private current: EngineView = { connected: false, activeCalls: 0, notReady: null };

  constructor(
    private readonly onChange: (view: EngineView) => void = () => undefined,
    private readonly timeoutMs = 5_000,
    /** Readiness changes without an event (a key entered in Settings): look again now and then. */
    private readonly pollMs = 30_000,
  ) {}

  view(): EngineView {
    return { ...this.current };
  }

  deliver(port: EnginePort): void {
    this.drop('The voice engine restarted.');
    this.port = port;
    port.on('message', (event) => this.receive(event.data));
    port.start();
    this.update({ connected: true });
    void this.refresh();
    this.pollTimer = setInterval(() => void this.refresh(), this.pollMs);
    this.pollTimer.unref?.();
  }

  /** The engine is down: its port is dead and no call can be live on it. */
  disconnect(): void {
    this.drop('The voice engine is not running.');
    this.update({ connected: false, activeCalls: 0 });
  }

  call(handler: string, args: Record<string, unknown> = {}): Promise<Reply<unknown>> {
    const port = this.port;
    if (!port) return Promise.resolve(failure('The voice engine is not running.'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(failure('The voice engine did not answer in time.'));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        port.postMessage({ id, handler, args });
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(failure('The voice engine is not reachable.'));
      }
    });
  }

  /** Asks the engine afresh; used on connect, after call events, and right before quitting. */
  async refresh(): Promise<EngineView> {
    // Main is no person and signs in as no one: it asks only what the sign-in screen may know (the count of calls).
    const [state, ready] = await Promise.all([this.call('session/state'), this.call('health/ready')]);
    const patch: Partial<EngineView> = {};
    const count = state.ok ? (state.value as { callsInProgress?: unknown } | null)?.callsInProgress : undefined;
    if (typeof count === 'number') patch.activeCalls = count;
    if (ready.ok) patch.notReady = firstFailingCheck(ready.value);
    this.update(patch);
    return this.view();
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const msg = data as Record<string, unknown>;
    if ('reply' in msg && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      p.resolve(isReply(msg.reply) ? msg.reply : failure('The voice engine sent a reply the desktop app does not understand.'));
      return;
    }
    if (typeof msg.event === 'string' && CALL_EVENTS.has(msg.event)) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 250);
    }
  }

  private drop(reason: string): void {
    clearTimeout(this.refreshTimer);
    clearInterval(this.pollTimer);
    this.port?.close();
    this.port = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve(failure(reason));
    }
  }

  private update(patch: Partial<EngineView>): void {
    const next = { ...this.current, ...patch };
    const changed = (Object.keys(next) as Array<keyof EngineView>).some((k) => next[k] !== this.current[k]);
    this.current = next;
    if (changed) this.onChange(this.view());
  }
}

function failure(message: string): Reply<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: unknown };
  return r.ok === true || (r.ok === false && typeof r.error === 'object' && r.error !== null);
}

/** health/ready → null when ready, else the first failing check's reason. */
function firstFailingCheck(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const readiness = value as { ready?: unknown; checks?: Record<string, { ready?: unknown; reason?: unknown }> };
  if (readiness.ready === true) return null;
  for (const [name, check] of Object.entries(readiness.checks ?? {})) {
    if (check && check.ready === false) return typeof check.reason === 'string' && check.reason ? check.reason : `${name} is not ready`;
  }
  return 'The voice engine is not ready to answer calls.';
}
