import type { EngineStatus } from './bridge.js';

/**
 * What the supervisor needs from the world, as interfaces: Electron's utilityProcess and
 * MessageChannelMain satisfy them in main.ts, fakes satisfy them in tests.
 *
 * Protocol with the engine (its entry is voice-engine/dist/utility.js):
 *   engine → shell  {type:'ready', publicPort, dashboardPort} | {type:'pong', id} | {type:'fatal', message}
 *   shell → engine  {type:'ping', id} | {type:'port'} + ports[0] | {type:'stop'} | anything from readyMessages
 * Any other engine message goes to onMessage.
 */

export const ENGINE_SERVICE_NAME = 'Deskline voice engine';

export interface EngineChild<P> {
  readonly pid?: number | undefined;
  readonly stdout?: NodeJS.ReadableStream | null;
  readonly stderr?: NodeJS.ReadableStream | null;
  postMessage(message: unknown, transfer?: P[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface ForkOptions {
  serviceName: string;
  stdio: 'pipe';
  env: Record<string, string>;
  execArgv: string[];
}

/**
 * Flags for the engine's JavaScript runtime, however it is started: here, by `npm run serve`
 * (package.json), and by the tests and the bench (test/harness/engine-process.ts).
 * - `--no-memory-reducer`: after a quiet spell V8 otherwise runs full collections to hand
 *   memory back to the system (pauses up to 10 ms measured at 10 calls, on a 34 MB heap),
 *   on the event loop that carries every caller's audio.
 * V8's default young generation (16 MB) is kept on purpose. A larger one (32 MB) once kept
 * what calls held for a few hundred ms from being promoted; since calls stopped holding it
 * (the swap replay buffer, a record per audio chunk), the larger one only made each
 * scavenge twice as long (it sweeps every socket read's buffer since the last), measured
 * at 200 calls: pauses 1.0-3.7 ms against 0.7-2.2 ms, and no full collection in the window.
 */
export const ENGINE_EXEC_ARGV: readonly string[] = ['--no-memory-reducer'];

export type ForkFn<P> = (modulePath: string, args: string[], options: ForkOptions) => EngineChild<P>;

/** Something that needs its own line to the engine: a window, or main's own contract client. */
export interface PortClient<P> {
  deliver(port: P): void;
}

export interface SupervisorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SupervisorOptions<P> {
  fork: ForkFn<P>;
  modulePath: string;
  env: Record<string, string>;
  /** A fresh MessageChannelMain: one per client per engine start. */
  createChannel: () => { port1: P; port2: P };
  logDir: string;
  readyTimeoutMs?: number;
  pingIntervalMs?: number;
  /** Backoff by crash count within the window; the first must be ≤ 1 s. */
  restartDelaysMs?: readonly number[];
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long a killed engine gets to go away before we stop waiting for it. */
  killGraceMs?: number;
  /** How long {type:'stop'} gets before the engine is killed. */
  stopTimeoutMs?: number;
  now?: () => number;
  /** Sent after every `ready`, before any port: secrets, the pause switch. */
  readyMessages?: () => unknown[];
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
  onStatus?: (status: EngineStatus) => void;
  onMessage?: (message: Record<string, unknown>) => void;
  log?: SupervisorLog;
}
