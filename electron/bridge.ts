/**
 * What main and the preload agree on: IPC channel names and the shape of
 * `window.deskline`. The preload is sandboxed and must stand alone, so it keeps its own
 * copy of the channel names (type imports are erased); a test checks the two match.
 *
 * The dashboard's engine traffic never uses these channels: it goes over the
 * MessagePort the preload hands to the page, carrying the engine's contract
 * (voice-engine/src/contract.ts) unchanged. These channels are only for what the
 * desktop shell itself owns: launch at login, OS-encrypted secrets, engine health.
 */

export const IPC = {
  /** main → preload: carries one MessagePort (the page receives it as `deskline:port`). */
  port: 'deskline:port',
  /** main → preload: EngineStatus whenever it changes. */
  engineStatus: 'deskline:engine-status',
  getInfo: 'deskline:shell/info',
  setLaunchAtLogin: 'deskline:shell/set-launch-at-login',
  openLogsFolder: 'deskline:shell/open-logs-folder',
  secretsStatus: 'deskline:secrets/status',
  setSecret: 'deskline:secrets/set',
  acceptPlaintextSecrets: 'deskline:secrets/accept-plaintext-risk',
} as const;

/** The window message the renderer waits for (renderer/src/transport/pick.ts PORT_MESSAGE). */
export const PORT_MESSAGE = 'deskline:port';

export type SecretName = 'twilioAuthToken' | 'openaiApiKey' | 'googleRefreshToken' | 'backupKey';
export const SECRET_NAMES: readonly SecretName[] = ['twilioAuthToken', 'openaiApiKey', 'googleRefreshToken', 'backupKey'];

export type EngineState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface EngineStatus {
  state: EngineState;
  /** Why it is not ready, in words for the front desk (null while healthy). */
  message: string | null;
  /** Where the engine's and the shell's logs are, for "send us your logs". */
  logDir: string;
  /** Unexpected stops since the app started. */
  crashes: number;
  publicPort: number | null;
  dashboardPort: number | null;
  /** While restarting: the backoff before the next start. */
  restartInMs: number | null;
}

export interface SecretsStatus {
  /** False when secrets cannot be stored safely here; `problem` says why and how to fix it. */
  canStore: boolean;
  /** Electron's safeStorage backend on Linux (e.g. gnome_libsecret, kwallet5, basic_text); the OS name elsewhere. */
  backend: string;
  problem: string | null;
  plaintextRiskAccepted: boolean;
  set: Record<SecretName, boolean>;
}

export interface ShellInfo {
  version: string;
  launchAtLogin: boolean;
  /** False in development and where the OS gives us no way to do it. */
  launchAtLoginSupported: boolean;
  engine: EngineStatus;
  updates: { enabled: boolean; reason: string };
}

/** `window.deskline`: the one object the preload exposes. No `port`: it arrives by postMessage. */
export interface DesklineBridge {
  readonly version: string;
  readonly shell: {
    info(): Promise<ShellInfo>;
    setLaunchAtLogin(enabled: boolean): Promise<ShellInfo>;
    openLogsFolder(): Promise<void>;
    secretsStatus(): Promise<SecretsStatus>;
    /** Stores (or with null, forgets) a secret with the OS keychain and passes it to the engine. */
    setSecret(name: SecretName, value: string | null): Promise<SecretsStatus>;
    /** Asks the user, in a native dialog, to accept storing secrets without a keyring (Linux). */
    acceptPlaintextSecrets(): Promise<SecretsStatus>;
    /** Calls back with every engine status change; returns the unsubscribe. */
    onEngineStatus(listener: (status: EngineStatus) => void): () => void;
  };
}
