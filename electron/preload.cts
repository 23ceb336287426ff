/**
 * The dashboard window's preload. It runs sandboxed (contextIsolation on), where only
 * `require('electron')` works and the file must stand alone, hence CommonJS (.cts →
 * preload.cjs) and no local imports except erased types.
 *
 * It exposes exactly one object, `window.deskline` (DesklineBridge), and forwards each
 * engine port main sends: a contextBridge cannot carry a MessagePort, so the port is
 * posted to the page as `window.postMessage('deskline:port', '*', [port])`, which is what
 * renderer/src/transport/pick.ts waits for.
 */
import type { DesklineBridge, EngineStatus, SecretName, SecretsStatus, ShellInfo } from './bridge.js';

/** A copy of IPC in bridge.ts (a sandboxed preload cannot import it); test/electron/preload.test.ts keeps them equal. */
export const CHANNELS = {
  port: 'deskline:port',
  engineStatus: 'deskline:engine-status',
  getInfo: 'deskline:shell/info',
  setLaunchAtLogin: 'deskline:shell/set-launch-at-login',
  openLogsFolder: 'deskline:shell/open-logs-folder',
  secretsStatus: 'deskline:secrets/status',
  setSecret: 'deskline:secrets/set',
  acceptPlaintextSecrets: 'deskline:secrets/accept-plaintext-risk',
} as const;

export const PORT_MESSAGE = 'deskline:port';
const VERSION_ARG = '--deskline-version=';

type Listener = (event: { ports: readonly unknown[] }, ...args: unknown[]) => void;

export interface PreloadDeps {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: Listener): unknown;
    removeListener(channel: string, listener: Listener): unknown;
  };
  window: { postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void };
  document: { readyState: string; addEventListener(type: string, listener: () => void, options?: { once?: boolean }): void };
  location: { protocol: string; host: string };
  argv: readonly string[];
}

export function buildBridge(deps: PreloadDeps): DesklineBridge {
  const versionArg = deps.argv.find((a) => a.startsWith(VERSION_ARG));
  const invoke = <T,>(channel: string, ...args: unknown[]) => deps.ipcRenderer.invoke(channel, ...args) as Promise<T>;
  return Object.freeze({
    version: versionArg ? versionArg.slice(VERSION_ARG.length) : 'unknown',
    shell: Object.freeze({
      info: () => invoke<ShellInfo>(CHANNELS.getInfo),
      setLaunchAtLogin: (enabled: boolean) => invoke<ShellInfo>(CHANNELS.setLaunchAtLogin, enabled === true),
      openLogsFolder: () => invoke<void>(CHANNELS.openLogsFolder),
      secretsStatus: () => invoke<SecretsStatus>(CHANNELS.secretsStatus),
      setSecret: (name: SecretName, value: string | null) => invoke<SecretsStatus>(CHANNELS.setSecret, String(name), value === null ? null : String(value)),
      acceptPlaintextSecrets: () => invoke<SecretsStatus>(CHANNELS.acceptPlaintextSecrets),
      onEngineStatus(listener: (status: EngineStatus) => void) {
        // Only the payload crosses into the page: never the IPC event, which carries sender internals.
        const wrapped: Listener = (_event, status) => listener(status as EngineStatus);
        deps.ipcRenderer.on(CHANNELS.engineStatus, wrapped);
        return () => void deps.ipcRenderer.removeListener(CHANNELS.engineStatus, wrapped);
      },
    }),
  });
}

/** Hands each engine port to the page, once its scripts are listening, and only on our own page. */
export function forwardPorts(deps: PreloadDeps): void {
  deps.ipcRenderer.on(CHANNELS.port, (event) => {
    const port = event.ports[0];
    if (!port) return;
    if (deps.location.protocol !== 'app:' || deps.location.host !== 'deskline') return;
    const post = () => deps.window.postMessage(PORT_MESSAGE, '*', [port]);
    if (deps.document.readyState === 'loading') deps.document.addEventListener('DOMContentLoaded', post, { once: true });
    else post();
  });
}

export function installPreload(deps: PreloadDeps): void {
  deps.contextBridge.exposeInMainWorld('deskline', buildBridge(deps));
  forwardPorts(deps);
}

// In Electron's renderer this wires the real modules; imported by a test (plain Node) it only exports.
if ((process as { type?: string }).type === 'renderer') {
  const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');
  const page = globalThis as unknown as { document: PreloadDeps['document']; location: PreloadDeps['location'] } & PreloadDeps['window'];
  installPreload({
    contextBridge,
    ipcRenderer: ipcRenderer as unknown as PreloadDeps['ipcRenderer'],
    window: page,
    document: page.document,
    location: page.location,
    argv: process.argv,
  });
}
