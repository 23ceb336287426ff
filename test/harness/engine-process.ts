import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENGINE_EXEC_ARGV } from '../../electron/engine-process.js';
import { ensureTestTls } from '../sim/tls.js';

export const ENGINE_ENTRY = resolve(import.meta.dirname, '../../voice-engine/dist/main.js');
export const TEST_DASHBOARD_TOKEN = 'test-dashboard-token-0123456789';

export interface EngineProcess {
  process: ChildProcess;
  dataDir: string;
  dbPath: string;
  publicUrl: string;
  staffUrl: string;
  token: string;
  output(): string;
  /** Sends SIGTERM and waits for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: the engine gets no chance to flush or close anything. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts the built engine as its own process, exactly as `npm run serve` does (its runtime
 * flags included; `args` replaces only the entry), with the test CA trusted through
 * NODE_EXTRA_CA_CERTS, and waits for its ready line.
 */
export async function startEngineProcess(
  env: Record<string, string>,
  options: { dataDir?: string; timeoutMs?: number; args?: string[]; /** A command that execs the rest, e.g. chrt to set the policy it starts with. */ launcher?: readonly string[] } = {},
): Promise<EngineProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'deskline-engine-'));
  const command = [...(options.launcher ?? []), process.execPath, ...ENGINE_EXEC_ARGV, ...(options.args ?? [ENGINE_ENTRY])];
  const child = spawn(command[0]!, command.slice(1), {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_EXTRA_CA_CERTS: ensureTestTls().caCertPath,
      DESKLINE_DATA_DIR: dataDir,
      DESKLINE_PUBLIC_PORT: '0',
      DESKLINE_PUBLIC_HOST: '127.0.0.1',
      DESKLINE_DASHBOARD_PORT: '0',
      DESKLINE_DASHBOARD_TOKEN: TEST_DASHBOARD_TOKEN,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const ports = await new Promise<{ pub: number; staff: number }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`engine did not start:\n${out}`)), options.timeoutMs ?? 15_000);
    const check = () => {
      const m = /Twilio listener http:\/\/[^:]+:(\d+).*staff API http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ pub: Number(m[1]), staff: Number(m[2]) });
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`engine exited with ${code}:\n${out}`));
    });
  });
  return {
    process: child,
    dataDir,
    dbPath: join(dataDir, 'deskline.sqlite'),
    publicUrl: `http://127.0.0.1:${ports.pub}`,
    staffUrl: `http://127.0.0.1:${ports.staff}`,
    token: env.DESKLINE_DASHBOARD_TOKEN ?? TEST_DASHBOARD_TOKEN,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the engine expecting it to refuse to start; resolves with its exit code and output. */
export async function runEngineExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...ENGINE_EXEC_ARGV, ENGINE_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DESKLINE_PUBLIC_PORT: '0', DESKLINE_DASHBOARD_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  clearTimeout(timer);
  return { code, output };
}
