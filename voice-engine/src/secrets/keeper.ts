import { registerSecret } from '../log.js';
import type { SecretVault } from './vault.js';

export type SecretName = 'twilioAuthToken' | 'openaiApiKey' | 'googleRefreshToken' | 'backupKey';

/** Where the engine keeps secrets that were entered or obtained while it runs. */
export interface SecretKeeper {
  load(name: SecretName): string | null;
  save(name: SecretName, value: string | null): void;
}

interface Settings {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

const SETTING_KEYS: Record<SecretName, string> = {
  twilioAuthToken: 'secret.twilioAuthToken',
  openaiApiKey: 'secret.openaiApiKey',
  googleRefreshToken: 'google.refreshToken.sealed',
  backupKey: 'secret.backupKey',
};

/** Headless: sealed with AES-256-GCM into the settings table; the key lives outside the database. */
export class SealedSettingsKeeper implements SecretKeeper {
  constructor(
    private readonly settings: Settings,
    private readonly vault: SecretVault,
  ) {}

  load(name: SecretName): string | null {
    const sealed = this.settings.get<unknown>(SETTING_KEYS[name]);
    if (typeof sealed !== 'string' || sealed === '') return null;
    const value = this.vault.decrypt(sealed);
    registerSecret(value);
    return value;
  }

  save(name: SecretName, value: string | null): void {
    registerSecret(value);
    this.settings.set(SETTING_KEYS[name], value ? this.vault.encrypt(value) : null);
  }
}

/**
 * Desktop: the shell keeps secrets in the OS keychain (safeStorage) and hands them over
 * after every start; the engine holds them in memory only and sends changes back.
 */
export class ShellKeeper implements SecretKeeper {
  private readonly values = new Map<SecretName, string>();

  constructor(private readonly sendToShell: (name: SecretName, value: string | null) => void) {}

  /** Values from the shell; null means it holds none. */
  receive(values: Partial<Record<SecretName, string | null>>): void {
    for (const [name, value] of Object.entries(values) as Array<[SecretName, string | null]>) {
      registerSecret(value);
      if (value) this.values.set(name, value);
      else this.values.delete(name);
    }
  }

  load(name: SecretName): string | null {
    return this.values.get(name) ?? null;
  }

  save(name: SecretName, value: string | null): void {
    registerSecret(value);
    if (value) this.values.set(name, value);
    else this.values.delete(name);
    this.sendToShell(name, value);
  }
}
