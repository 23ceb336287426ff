import { dialog, ipcMain, shell, type BrowserWindow } from 'electron';
import type { MessageBoxOptions } from 'electron';
import type { SecretName, ShellInfo } from './bridge.js';
import { registerShellIpc } from './ipc.js';
import type { SecretStore } from './secret-store.js';
import type { SettingsFile } from './settings.js';

/**
 * Connects the checked IPC handlers (ipc.ts) to the real stores and dialogs. Only
 * main.ts uses this. A new secret is stored encrypted first, then passed to the running
 * engine over its port; it is never written anywhere in plain text.
 */
export interface MainIpcDeps {
  store: SecretStore;
  /** Decrypted secrets held in memory for the engine (shared with main.ts). */
  secretValues: Map<SecretName, string>;
  settings: SettingsFile;
  sendToEngine(message: unknown): boolean;
  shellInfo(): ShellInfo;
  setLaunchAtLogin(enabled: boolean): void;
  logDir: string;
  window(): BrowserWindow | null;
  log: { warn(message: string): void };
}

export const PLAINTEXT_RISK_DIALOG: MessageBoxOptions = {
  type: 'warning',
  title: 'Store secrets without a keyring?',
  message: 'Store the Twilio token, OpenAI key and Google sign-in without a keyring?',
  detail:
    'They would be scrambled with a fixed key that anyone who can read this computer\'s files can undo. Only do this on a ' +
    'dedicated, physically secure front-desk PC. Installing and unlocking a keyring (gnome-keyring or KWallet) is the safe fix.',
  buttons: ['Cancel', 'Store them anyway'],
  defaultId: 0,
  cancelId: 0,
};

export function registerMainIpc(deps: MainIpcDeps): void {
  const { store, settings } = deps;
  const ask = (options: MessageBoxOptions) => {
    const w = deps.window();
    return w && !w.isDestroyed() ? dialog.showMessageBox(w, options) : dialog.showMessageBox(options);
  };
  registerShellIpc(
    ipcMain,
    {
      info: () => deps.shellInfo(),
      setLaunchAtLogin: (enabled) => {
        deps.setLaunchAtLogin(enabled);
        return deps.shellInfo();
      },
      openLogsFolder: async () => {
        await shell.openPath(deps.logDir);
      },
      secretsStatus: () => store.status(),
      setSecret: async (name, value) => {
        await store.set(name, value);
        if (value === null) deps.secretValues.delete(name);
        else deps.secretValues.set(name, value.trim());
        deps.sendToEngine({ type: 'secrets', values: { [name]: deps.secretValues.get(name) ?? null } });
        return store.status();
      },
      // The risk is accepted in a native dialog, not by the page: a compromised page cannot accept it.
      acceptPlaintextSecrets: async () => {
        const { response } = await ask(PLAINTEXT_RISK_DIALOG);
        if (response === 1) settings.update({ plaintextSecretsAccepted: true });
        return store.status();
      },
    },
    (channel, url) => deps.log.warn(`Refused IPC ${channel} from ${url ?? 'a closed frame'}.`),
  );
}
