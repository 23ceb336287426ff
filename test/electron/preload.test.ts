import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { IPC, PORT_MESSAGE as BRIDGE_PORT_MESSAGE, type DesklineBridge } from '../../electron/bridge.js';
import type { PreloadDeps } from '../../electron/preload.cjs';

type Listener = (event: { ports: readonly unknown[] }, ...args: unknown[]) => void;
type PreloadModule = typeof import('../../electron/preload.cjs');

/**
 * Runs preload.cts the way a sandboxed Electron renderer does: compiled to CommonJS and
 * wrapped in a function given only `require`, `process`, `exports` and `module`, where
 * `require` knows nothing but 'electron' (so a local import would fail here too).
 */
function runPreload(options: { processType?: string; electron?: unknown; page?: object; argv?: string[] } = {}) {
  const source = readFileSync(resolve(import.meta.dirname, '../../electron/preload.cts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { fileName: 'preload.cts', compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron' && options.electron) return options.electron;
    throw new Error(`Cannot find module '${id}' (a sandboxed preload can only require 'electron')`);
  };
  const module = { exports: {} as PreloadModule };
  const process = { type: options.processType, argv: options.argv ?? [] };
  new Function('require', 'process', 'exports', 'module', 'globalThis', outputText)(sandboxRequire, process, module.exports, module, options.page ?? {});
  return { exports: module.exports, required };
}

const { CHANNELS, installPreload, PORT_MESSAGE } = runPreload().exports;

function setup(overrides: Partial<PreloadDeps> = {}) {
  const exposed: Array<[string, unknown]> = [];
  const listeners = new Map<string, Listener[]>();
  const domReady: Array<() => void> = [];
  const deps: PreloadDeps = {
    contextBridge: { exposeInMainWorld: (key, api) => void exposed.push([key, api]) },
    ipcRenderer: {
      invoke: vi.fn(async () => 'reply'),
      on: (channel, listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
      removeListener: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener)),
    },
    window: { postMessage: vi.fn() },
    document: { readyState: 'complete', addEventListener: (_type, listener) => void domReady.push(listener) },
    location: { protocol: 'app:', host: 'deskline' },
    argv: ['/opt/Deskline/deskline', '--type=renderer', '--deskline-version=1.4.2'],
    ...overrides,
  };
  installPreload(deps);
  const emit = (channel: string, event: { ports: readonly unknown[] }, ...args: unknown[]) => (listeners.get(channel) ?? []).forEach((l) => l(event, ...args));
  return { deps, exposed, listeners, emit, domReady, bridge: exposed[0]![1] as DesklineBridge };
}

describe('the preload', () => {
  it('keeps its channel names identical to bridge.ts and the renderer', () => {
    expect(CHANNELS).toEqual(IPC);
    expect(PORT_MESSAGE).toBe(BRIDGE_PORT_MESSAGE);
    const pick = readFileSync(resolve(import.meta.dirname, '../../renderer/src/transport/pick.ts'), 'utf8');
    expect(pick).toContain(`export const PORT_MESSAGE = '${PORT_MESSAGE}';`);
  });

  it('outside Electron it only exports: nothing is required, nothing exposed', () => {
    expect(runPreload().required).toEqual([]);
  });

  it('in a sandboxed renderer it requires only electron, exposes window.deskline and forwards ports', () => {
    const exposed: string[] = [];
    const portListeners: Listener[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string) => exposed.push(key) },
      ipcRenderer: { invoke: vi.fn(), on: (channel: string, l: Listener) => channel === IPC.port && portListeners.push(l), removeListener: vi.fn() },
    };
    const page = { postMessage: vi.fn(), document: { readyState: 'complete', addEventListener: vi.fn() }, location: { protocol: 'app:', host: 'deskline' } };
    const { required } = runPreload({ processType: 'renderer', electron, page, argv: ['--deskline-version=2.0.0'] });
    expect(required).toEqual(['electron']);
    expect(exposed).toEqual(['deskline']);
    const port = {};
    portListeners.forEach((l) => l({ ports: [port] }));
    expect(page.postMessage).toHaveBeenCalledWith('deskline:port', '*', [port]);
  });

  it('exposes exactly one object, window.deskline, with the version and the shell API but no port', () => {
    const { exposed, bridge } = setup();
    expect(exposed.map(([key]) => key)).toEqual(['deskline']);
    expect(Object.keys(bridge).sort()).toEqual(['shell', 'version']);
    expect(bridge.version).toBe('1.4.2');
    // No `port`: the renderer must wait for the postMessage (pick.ts obtainTransport).
    expect('port' in bridge).toBe(false);
    expect(Object.keys(bridge.shell).sort()).toEqual(['acceptPlaintextSecrets', 'info', 'onEngineStatus', 'openLogsFolder', 'secretsStatus', 'setLaunchAtLogin', 'setSecret']);
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.shell)).toBe(true);
  });

  it('forwards each port from main to the page as window.postMessage("deskline:port", "*", [port])', () => {
    const { emit, deps } = setup();
    const port = { fake: 'MessagePort' };
    emit(CHANNELS.port, { ports: [port] });
    expect(deps.window.postMessage).toHaveBeenCalledWith('deskline:port', '*', [port]);
  });

  it('waits for DOMContentLoaded when the page is still loading, so the renderer is listening', () => {
    const document = { readyState: 'loading', addEventListener: vi.fn() };
    const { emit, deps } = setup({ document });
    emit(CHANNELS.port, { ports: [{}] });
    expect(deps.window.postMessage).not.toHaveBeenCalled();
    expect(document.addEventListener).toHaveBeenCalledWith('DOMContentLoaded', expect.any(Function), { once: true });
    (document.addEventListener.mock.calls[0]![1] as () => void)();
    expect(deps.window.postMessage).toHaveBeenCalledTimes(1);
  });

  it('never hands a port to a page that is not app://deskline', () => {
    const { emit, deps } = setup({ location: { protocol: 'https:', host: 'evil.example' } });
    emit(CHANNELS.port, { ports: [{}] });
    expect(deps.window.postMessage).not.toHaveBeenCalled();
  });

  it('calls main over the expected channels with plain arguments', async () => {
    const { bridge, deps } = setup();
    await bridge.shell.info();
    await bridge.shell.setLaunchAtLogin(false);
    await bridge.shell.setSecret('openaiApiKey', 'sk-x');
    await bridge.shell.setSecret('twilioAuthToken', null);
    await bridge.shell.acceptPlaintextSecrets();
    expect(vi.mocked(deps.ipcRenderer.invoke).mock.calls).toEqual([
      [CHANNELS.getInfo],
      [CHANNELS.setLaunchAtLogin, false],
      [CHANNELS.setSecret, 'openaiApiKey', 'sk-x'],
      [CHANNELS.setSecret, 'twilioAuthToken', null],
      [CHANNELS.acceptPlaintextSecrets],
    ]);
  });

  it('passes engine status payloads (never the IPC event) and can unsubscribe', () => {
    const { bridge, emit, listeners } = setup();
    const seen: unknown[] = [];
    const off = bridge.shell.onEngineStatus((s) => seen.push(s));
    emit(CHANNELS.engineStatus, { ports: [] }, { state: 'ready' });
    off();
    emit(CHANNELS.engineStatus, { ports: [] }, { state: 'failed' });
    expect(seen).toEqual([{ state: 'ready' }]);
    expect(listeners.get(CHANNELS.engineStatus)).toEqual([]);
  });
});
