import type { EngineState, EngineStatus } from './bridge.js';
import { LineSplitter } from './engine-output.js';
import { ENGINE_EXEC_ARGV, ENGINE_SERVICE_NAME, type EngineChild, type PortClient, type SupervisorOptions } from './engine-process.js';

export { ENGINE_EXEC_ARGV, ENGINE_SERVICE_NAME, type EngineChild, type ForkFn, type ForkOptions, type PortClient, type SupervisorOptions } from './engine-process.js';

/**
 * Keeps the voice engine running in its own process: starts it, waits for it to say it
 * is ready, pings it, restarts it with backoff when it crashes or hangs, and gives up,
 * loudly, when it keeps crashing, because a receptionist that silently flaps all day is
 * worse than one that says "I am down, here are the logs". Pure logic: `fork` is
 * injected (Electron's utilityProcess.fork in main.ts, a fake in tests); the message
 * protocol is described in engine-process.ts.
 */

type Timer = ReturnType<typeof setTimeout>;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;

export class EngineSupervisor<P> {
  private child: EngineChild<P> | null = null;
  /** Bumped per start: events from an older child are ignored. */
  private generation = 0;
  private state: EngineState = 'stopped';
  private message: string | null = null;
  private crashTimes: number[] = [];
  private crashCount = 0;
  private endpoints: { publicPort: number; dashboardPort: number } | null = null;
  private restartInMs: number | null = null;
  private timers: { ready?: Timer; ping?: Timer; restart?: Timer; grace?: Timer; stop?: Timer } = {};
  private pingId = 0;
  private awaitingPong: number | null = null;
  private fatal: string | null = null;
  private killedBecause: string | null = null;
  private stopping: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly clients = new Set<PortClient<P>>();
  private readonly o: Required<Pick<SupervisorOptions<P>, 'readyTimeoutMs' | 'pingIntervalMs' | 'restartDelaysMs' | 'maxCrashes' | 'crashWindowMs' | 'killGraceMs' | 'stopTimeoutMs' | 'now'>> &
    SupervisorOptions<P>;

  constructor(options: SupervisorOptions<P>) {
    this.o = {
      readyTimeoutMs: 30_000,
      pingIntervalMs: 10_000,
      restartDelaysMs: [500, 1_000, 2_000, 4_000],
      maxCrashes: 5,
      crashWindowMs: 120_000,
      killGraceMs: 3_000,
      stopTimeoutMs: 5_000,
      now: Date.now,
      ...options,
    };
  }

  status(): EngineStatus {
    return {
      state: this.state,
      message: this.message,
      logDir: this.o.logDir,
      crashes: this.crashCount,
      publicPort: this.endpoints?.publicPort ?? null,
      dashboardPort: this.endpoints?.dashboardPort ?? null,
      restartInMs: this.restartInMs,
    };
  }

  start(): void {
    if (this.state === 'starting' || this.state === 'ready' || this.state === 'restarting') return;
    this.crashTimes = [];
    this.spawn();
  }

  /** "Restart voice engine" after it was given up on (or to skip a pending backoff). */
  retry(): void {
    if (this.state !== 'failed' && this.state !== 'restarting') return;
    this.crashTimes = [];
    this.spawn();
  }

  /** Sends a message to a ready engine; false if there is none to send to. */
  send(message: unknown): boolean {
    if (this.state !== 'ready' || !this.child) return false;
    try {
      this.child.postMessage(message);
      return true;
    } catch {
      return false;
    }
  }

  /** Registers a client; it gets a port now if the engine is ready, and again after every restart. */
  addClient(client: PortClient<P>): () => void {
    this.clients.add(client);
    if (this.state === 'ready') this.deliverTo(client);
    return () => this.clients.delete(client);
  }

  /** A client lost its port (e.g. its page reloaded): give it a fresh one if the engine is up. */
  requestPort(client: PortClient<P>): void {
    if (this.clients.has(client) && this.state === 'ready') this.deliverTo(client);
  }

  /** Asks the engine to stop cleanly ({type:'stop'}), kills it if it does not, and never restarts it. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping.promise;
    clearTimeout(this.timers.restart);
    const child = this.child;
    if (!child) {
      this.clearTimers();
      this.setState('stopped', null);
      return Promise.resolve();
    }
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.stopping = { promise, resolve };
    this.clearTimers();
    // Timers first: the exit may come synchronously from postMessage/kill and clears them.
    this.timers.stop = setTimeout(() => {
      this.o.log?.warn(`The voice engine did not stop within ${seconds(this.o.stopTimeoutMs)}; killing it.`);
      this.timers.grace = setTimeout(() => this.finishStop(), this.o.killGraceMs);
      child.kill();
    }, this.o.stopTimeoutMs);
    try {
      child.postMessage({ type: 'stop' });
    } catch {
      // Already gone: the exit event finishes the stop.
    }
    return promise;
  }

  private spawn(): void {
    this.clearTimers();
    const gen = ++this.generation;
    this.fatal = null;
    this.killedBecause = null;
    this.awaitingPong = null;
    this.endpoints = null;
    this.restartInMs = null;
    this.setState('starting', null);
    let child: EngineChild<P>;
    try {
      child = this.o.fork(this.o.modulePath, [], { serviceName: ENGINE_SERVICE_NAME, stdio: 'pipe', env: this.o.env, execArgv: [...ENGINE_EXEC_ARGV] });
    } catch (err) {
      this.crash(`could not be started (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    this.child = child;
    const out = new LineSplitter((line) => this.o.onOutput?.('stdout', line));
    const err = new LineSplitter((line) => this.o.onOutput?.('stderr', line));
    child.stdout?.on('data', (chunk: string | Uint8Array) => out.push(chunk));
    child.stderr?.on('data', (chunk: string | Uint8Array) => err.push(chunk));
    child.on('message', (message) => {
      if (gen === this.generation) this.onChildMessage(child, message);
    });
    child.on('exit', (code) => {
      out.flush();
      err.flush();
      if (gen === this.generation) this.onChildExit(code);
    });
    this.timers.ready = setTimeout(() => this.killFor(`did not report ready within ${seconds(this.o.readyTimeoutMs)}`), this.o.readyTimeoutMs);
  }

  private onChildMessage(child: EngineChild<P>, message: unknown): void {
    if (!isRecord(message)) return;
    switch (message.type) {
      case 'ready': {
        if (this.state !== 'starting') return;
        clearTimeout(this.timers.ready);
        if (isPort(message.publicPort) && isPort(message.dashboardPort)) {
          this.endpoints = { publicPort: message.publicPort, dashboardPort: message.dashboardPort };
        }
        this.setState('ready', null);
        this.o.log?.info(`Voice engine ready (pid ${child.pid ?? '?'}, Twilio port ${this.endpoints?.publicPort ?? '?'}).`);
        for (const extra of this.o.readyMessages?.() ?? []) child.postMessage(extra);
        for (const client of this.clients) this.deliverTo(client);
        this.timers.ping = setInterval(() => this.ping(), this.o.pingIntervalMs);
        return;
      }
      case 'pong':
        if (message.id === this.awaitingPong) this.awaitingPong = null;
        return;
      case 'fatal':
        // A problem a restart cannot fix (bad setting, database from a newer version): do not loop on it.
        this.fatal = typeof message.message === 'string' && message.message ? message.message : 'The voice engine cannot start.';
        return;
      default:
        this.o.onMessage?.(message);
    }
  }

  private ping(): void {
    if (this.awaitingPong !== null) {
      this.killFor(`stopped responding (no answer to a health check within ${seconds(this.o.pingIntervalMs)})`);
      return;
    }
    this.awaitingPong = ++this.pingId;
    try {
      this.child?.postMessage({ type: 'ping', id: this.awaitingPong });
    } catch {
      // The exit event is on its way.
    }
  }

  /** Hung or never ready: kill it, and count the crash once it has gone (or once we stop waiting). */
  private killFor(reason: string): void {
    clearTimeout(this.timers.ready);
    clearInterval(this.timers.ping);
    this.killedBecause = reason;
    this.o.log?.warn(`Voice engine ${reason}; killing it.`);
    // Armed before kill(): the exit event may arrive synchronously and must find (and clear) it.
    this.timers.grace = setTimeout(() => {
      this.o.log?.error(`Voice engine (pid ${this.child?.pid ?? '?'}) did not exit after being killed; starting a new one anyway.`);
      this.generation++;
      this.child = null;
      this.crash(reason);
    }, this.o.killGraceMs);
    this.child?.kill();
  }

  private onChildExit(code: number): void {
    this.child = null;
    if (this.stopping) {
      this.finishStop();
      return;
    }
    this.clearTimers();
    if (this.fatal) {
      this.fail(`${this.fatal} Fix this, then choose "Restart voice engine". Logs: ${this.o.logDir}`);
      return;
    }
    this.crash(this.killedBecause ?? `exited unexpectedly (code ${code})`);
  }

  private crash(reason: string): void {
    this.crashCount++;
    const now = this.o.now();
    this.crashTimes = this.crashTimes.filter((t) => now - t < this.o.crashWindowMs);
    this.crashTimes.push(now);
    this.o.log?.error(`Voice engine ${reason}.`);
    if (this.crashTimes.length >= this.o.maxCrashes) {
      const minutes = Math.round(this.o.crashWindowMs / 60_000);
      this.fail(
        `The voice engine stopped ${this.crashTimes.length} times in ${minutes} minutes (last time it ${reason}). ` +
          `Deskline has stopped restarting it, so calls are not being answered. The logs are in ${this.o.logDir}`,
      );
      return;
    }
    const delays = this.o.restartDelaysMs;
    const delay = delays[Math.min(this.crashTimes.length - 1, delays.length - 1)] ?? 1_000;
    this.restartInMs = delay;
    this.setState('restarting', `The voice engine ${reason}. Restarting it in ${seconds(delay)}.`);
    this.timers.restart = setTimeout(() => this.spawn(), delay);
  }

  private fail(message: string): void {
    this.clearTimers();
    this.generation++;
    this.child?.kill();
    this.child = null;
    this.restartInMs = null;
    this.setState('failed', message);
  }

  private finishStop(): void {
    this.clearTimers();
    this.generation++;
    this.child = null;
    this.setState('stopped', null);
    const stopping = this.stopping;
    this.stopping = null;
    stopping?.resolve();
  }

  private deliverTo(client: PortClient<P>): void {
    const child = this.child;
    if (!child) return;
    const { port1, port2 } = this.o.createChannel();
    try {
      child.postMessage({ type: 'port' }, [port1]);
    } catch (err) {
      this.o.log?.warn(`Could not hand a port to the voice engine: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    client.deliver(port2);
  }

  private clearTimers(): void {
    clearTimeout(this.timers.ready);
    clearInterval(this.timers.ping);
    clearTimeout(this.timers.restart);
    clearTimeout(this.timers.grace);
    clearTimeout(this.timers.stop);
    this.timers = {};
  }

  private setState(state: EngineState, message: string | null): void {
    this.state = state;
    this.message = message;
    this.o.onStatus?.(this.status());
  }
}
