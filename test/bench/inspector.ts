import WebSocket from 'ws';
import type { CpuProfile } from './cpu-profile.js';

/**
 * Profiles the engine process over the V8 inspector protocol. Node refuses --cpu-prof in
 * NODE_OPTIONS, but allows --inspect; the engine then prints its debugger URL, and the bench
 * starts and stops the CPU profiler exactly around the steady-state window.
 */

/** NODE_OPTIONS for the engine: an inspector on a free loopback port. */
export const INSPECT_OPTION = '--inspect=127.0.0.1:0';

export class EngineInspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('inspector socket closed'));
      this.pending.clear();
    });
  }

  /** Finds "Debugger listening on ws://…" in the engine's output and connects. */
  static async connect(engineOutput: string, timeoutMs = 5000): Promise<EngineInspector> {
    const url = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(engineOutput)?.[1];
    if (!url) throw new Error('the engine printed no inspector URL');
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('inspector connect timed out')), timeoutMs);
      ws.once('open', () => (clearTimeout(timer), resolve()));
      ws.once('error', (err) => (clearTimeout(timer), reject(err)));
    });
    return new EngineInspector(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async startProfiling(samplingIntervalUs = 500): Promise<void> {
    await this.send('Profiler.enable');
    await this.send('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
    await this.send('Profiler.start');
  }

  async stopProfiling(): Promise<CpuProfile> {
    const { profile } = await this.send<{ profile: CpuProfile }>('Profiler.stop');
    return profile;
  }

  /** Must happen before the engine exits: Node waits at exit for an attached debugger. */
  close(): void {
    this.ws.close();
  }
}
