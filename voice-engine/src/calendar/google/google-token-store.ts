import type { SecretKeeper } from '../../secrets/keeper.js';

/** A string key/value store, as the engine's SettingsStore is. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export const REFRESH_TOKEN_KEY = 'google.refreshToken.sealed';

/**
 * The Google refresh token, kept by the engine's secret keeper: sealed in settings when
 * headless, in the OS keychain through the shell on the desktop. Never in plain text.
 */
export class GoogleTokenStore {
  constructor(private readonly keeper: SecretKeeper) {}

  saveRefreshToken(refreshToken: string): void {
    if (!refreshToken) throw new Error('Refusing to save an empty Google refresh token.');
    this.keeper.save('googleRefreshToken', refreshToken);
  }

  /** Null when Google was never connected (or was disconnected). */
  loadRefreshToken(): string | null {
    try {
      return this.keeper.load('googleRefreshToken');
    } catch (err) {
      throw new Error(`The saved Google Calendar connection cannot be unlocked (${(err as Error).message}); connect Google Calendar again.`);
    }
  }

  clear(): void {
    this.keeper.save('googleRefreshToken', null);
  }
}
