import { describe, expect, it, vi } from 'vitest';
import { IPC, type SecretsStatus, type ShellInfo } from '../../electron/bridge.js';
import { registerShellIpc, REFUSED_MESSAGE, type IpcEventLike, type ShellIpcHandlers } from '../../electron/ipc.js';

const SECRETS: SecretsStatus = { canStore: true, backend: 'gnome_libsecret', problem: null, plaintextRiskAccepted: false, set: { twilioAuthToken: false, openaiApiKey: true, googleRefreshToken: false, backupKey: false } };
const INFO = { version: '0.1.0', launchAtLogin: true } as ShellInfo;

function setup() {
  const registered = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain = { handle: vi.fn((channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) => void registered.set(channel, listener)) };
  const handlers: ShellIpcHandlers = {
    info: vi.fn(() => INFO),
    setLaunchAtLogin: vi.fn(() => INFO),
    openLogsFolder: vi.fn(),
    secretsStatus: vi.fn(async () => SECRETS),
    setSecret: vi.fn(async () => SECRETS),
    acceptPlaintextSecrets: vi.fn(async () => SECRETS),
  };
  const refused = vi.fn();
  registerShellIpc(ipcMain, handlers, refused);
  const invoke = (channel: string, frameUrl: string | null, ...args: unknown[]) =>
    Promise.resolve().then(() => registered.get(channel)!({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args));
  return { registered, handlers, refused, invoke };
}

const OURS = 'app://deskline/index.html#/settings';

describe('shell IPC', () => {
  it('registers every request channel (and only those)', () => {
    const { registered } = setup();
    const requests = Object.values(IPC).filter((c) => c !== IPC.port && c !== IPC.engineStatus);
    expect([...registered.keys()].sort()).toEqual([...requests].sort());
  });

  it('answers the dashboard\'s own frame', async () => {
    const { invoke, handlers } = setup();
    await expect(invoke(IPC.getInfo, OURS)).resolves.toBe(INFO);
    await expect(invoke(IPC.setSecret, OURS, 'openaiApiKey', 'sk-new')).resolves.toBe(SECRETS);
    expect(handlers.setSecret).toHaveBeenCalledWith('openaiApiKey', 'sk-new');
    await invoke(IPC.setLaunchAtLogin, OURS, false);
    expect(handlers.setLaunchAtLogin).toHaveBeenCalledWith(false);
  });

  it.each([
    ['a remote page', 'https://evil.example/'],
    ['a file:// page', 'file:///tmp/x.html'],
    ['a look-alike host', 'app://deskline.evil/index.html'],
    ['another app:// host', 'app://other/index.html'],
    ['a destroyed frame', null],
  ])('refuses %s on every channel, before running anything', async (_label, url) => {
    const { registered, invoke, handlers, refused } = setup();
    for (const channel of registered.keys()) {
      await expect(invoke(channel, url, 'openaiApiKey', 'sk-stolen')).rejects.toThrow(REFUSED_MESSAGE);
    }
    for (const fn of Object.values(handlers)) expect(fn).not.toHaveBeenCalled();
    expect(refused).toHaveBeenCalledWith(IPC.setSecret, url);
  });

  it('validates arguments from the renderer', async () => {
    const { invoke, handlers } = setup();
    await expect(invoke(IPC.setLaunchAtLogin, OURS, 'yes')).rejects.toThrow(/true or false/);
    await expect(invoke(IPC.setSecret, OURS, 'dashboardToken', 'x')).rejects.toThrow(/Unknown secret/);
    await expect(invoke(IPC.setSecret, OURS, 'openaiApiKey', 42)).rejects.toThrow(/string, or null/);
    await expect(invoke(IPC.setSecret, OURS, 'openaiApiKey', null)).resolves.toBe(SECRETS);
    expect(handlers.setSecret).toHaveBeenCalledTimes(1);
    expect(handlers.setLaunchAtLogin).not.toHaveBeenCalled();
  });
});
