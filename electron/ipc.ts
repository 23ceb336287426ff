import { IPC, SECRET_NAMES, type SecretName, type SecretsStatus, type ShellInfo } from './bridge.js';
import { isTrustedFrame } from './security.js';

/**
 * The shell's IPC handlers. Every one first checks that the request came from a frame
 * showing app://deskline: if anything else ever ended up in a renderer (a navigation the
 * guards missed, an injected frame), it can neither read settings nor write secrets.
 * Arguments are validated here, since a renderer is never trusted with types.
 */

export interface IpcEventLike {
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
}

export interface ShellIpcHandlers {
  info(): ShellInfo | Promise<ShellInfo>;
  setLaunchAtLogin(enabled: boolean): ShellInfo | Promise<ShellInfo>;
  openLogsFolder(): void | Promise<void>;
  secretsStatus(): Promise<SecretsStatus>;
  setSecret(name: SecretName, value: string | null): Promise<SecretsStatus>;
  acceptPlaintextSecrets(): Promise<SecretsStatus>;
}

export const REFUSED_MESSAGE = 'Refused: this request did not come from the Deskline dashboard.';

export function registerShellIpc(ipcMain: IpcMainLike, handlers: ShellIpcHandlers, onRefused: (channel: string, url: string | null) => void = () => undefined): void {
  const handle = (channel: string, run: (...args: unknown[]) => unknown) =>
    ipcMain.handle(channel, (event, ...args) => {
      if (!isTrustedFrame(event.senderFrame)) {
        onRefused(channel, event.senderFrame?.url ?? null);
        throw new Error(REFUSED_MESSAGE);
      }
      return run(...args);
    });

  handle(IPC.getInfo, () => handlers.info());
  handle(IPC.setLaunchAtLogin, (enabled) => {
    if (typeof enabled !== 'boolean') throw new Error('setLaunchAtLogin takes true or false.');
    return handlers.setLaunchAtLogin(enabled);
  });
  handle(IPC.openLogsFolder, () => handlers.openLogsFolder());
  handle(IPC.secretsStatus, () => handlers.secretsStatus());
  handle(IPC.setSecret, (name, value) => {
    if (typeof name !== 'string' || !(SECRET_NAMES as readonly string[]).includes(name)) throw new Error(`Unknown secret. Expected one of ${SECRET_NAMES.join(', ')}.`);
    if (value !== null && typeof value !== 'string') throw new Error('A secret is a string, or null to forget it.');
    return handlers.setSecret(name as SecretName, value);
  });
  handle(IPC.acceptPlaintextSecrets, () => handlers.acceptPlaintextSecrets());
}
