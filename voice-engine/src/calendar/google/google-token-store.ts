import { registerSecret } from '../../log.js';
import type { SecretVault } from '../../secrets/vault.js';

/** The part of the engine's SettingsStore this needs. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export const REFRESH_TOKEN_KEY = 'google.refreshToken.sealed';

/**
 * Keeps the Google refresh token in settings, sealed: the settings database holds
 * only ciphertext, and the token in memory is registered with the log scrubber so a
 * stray log line cannot reveal it.
 */
export class GoogleTokenStore {
  constructor(
    private readonly settings: KeyValueStore,
    private readonly vault: SecretVault,
  ) {}

  saveRefreshToken(refreshToken: string): void {
    if (!refreshToken) throw new Error('Refusing to save an empty Google refresh token.');
    registerSecret(refreshToken);
    this.settings.set(REFRESH_TOKEN_KEY, this.vault.encrypt(refreshToken));
  }

  /** Null when Google was never connected (or was disconnected). */
  loadRefreshToken(): string | null {
    const sealed = this.settings.get<unknown>(REFRESH_TOKEN_KEY);
    if (typeof sealed !== 'string' || sealed === '') return null;
    let token: string;
    try {
      token = this.vault.decrypt(sealed);
    } catch (err) {
      throw new Error(
        `The saved Google Calendar connection cannot be unlocked (${(err as Error).message}); connect Google Calendar again.`,
      );
    }
    registerSecret(token);
    return token;
  }

  clear(): void {
    this.settings.set(REFRESH_TOKEN_KEY, null);
  }
}
