import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { vi } from 'vitest';
import type { EngineChild, ForkOptions } from '../../electron/supervisor.js';

/** Stand-ins for Electron objects. Nothing here loads `electron`. */

export class FakePort {
  constructor(public readonly name: string) {}
}

let channelCount = 0;
export function fakeChannel(): { port1: FakePort; port2: FakePort } {
  channelCount++;
  return { port1: new FakePort(`engine-side-${channelCount}`), port2: new FakePort(`client-side-${channelCount}`) };
}

/** A utilityProcess-like child: records what it is sent; tests make it speak, crash or hang. */
export class FakeChild extends EventEmitter implements EngineChild<FakePort> {
  pid: number | undefined = 4000 + Math.floor(Math.random() * 1000);
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: Array<{ message: unknown; transfer?: FakePort[] }> = [];
  killed = false;
  /** Answer pings on its own, like a healthy engine. */
  autoPong = true;
  /** Die when killed, like a real process (false: a process that ignores the kill). */
  exitOnKill = true;
  /** Exit when asked to stop. */
  exitOnStop = true;

  constructor(
    readonly modulePath: string,
    readonly options: ForkOptions,
  ) {
    super();
  }

  postMessage(message: unknown, transfer?: FakePort[]): void {
    this.posted.push(transfer ? { message, transfer } : { message });
    const m = message as { type?: string; id?: number };
    if (m.type === 'ping' && this.autoPong) this.emit('message', { type: 'pong', id: m.id });
    if (m.type === 'stop' && this.exitOnStop) this.exit(0);
  }

  kill(): boolean {
    this.killed = true;
    if (this.exitOnKill) this.exit(null);
    return true;
  }

  ready(publicPort = 8080, dashboardPort = 8081): void {
    this.emit('message', { type: 'ready', publicPort, dashboardPort });
  }

  exit(code: number | null): void {
    this.pid = undefined;
    this.emit('exit', code ?? 15);
  }

  messagesOfType(type: string): Array<{ message: Record<string, unknown>; transfer?: FakePort[] }> {
    return this.posted.filter((p) => (p.message as { type?: string }).type === type) as Array<{ message: Record<string, unknown>; transfer?: FakePort[] }>;
  }
}

export function fakeFork() {
  const children: FakeChild[] = [];
  const fork = vi.fn((modulePath: string, _args: string[], options: ForkOptions) => {
    const child = new FakeChild(modulePath, options);
    children.push(child);
    return child;
  });
  const last = (): FakeChild => {
    const child = children.at(-1);
    if (!child) throw new Error('nothing was forked');
    return child;
  };
  return { fork, children, last };
}

/** A Preventable event like Electron's. */
export function fakeEvent(url?: string) {
  return { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}
