import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SealedSettingsKeeper } from '../../voice-engine/src/secrets/keeper.js';
import { GoogleTokenStore, REFRESH_TOKEN_KEY, type KeyValueStore } from '../../voice-engine/src/calendar/google/google-token-store.js';
import { FileKeyProvider, SecretVault } from '../../voice-engine/src/secrets/vault.js';

const TOKEN = '1//0g-refresh-token-for-the-clinic';

function memorySettings(): KeyValueStore & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  // Values pass through JSON, as in the SQLite settings store.
  return {
    values,
    get: <T>(key: string) => (values.has(key) ? (JSON.parse(values.get(key) as string) as T) : undefined),
    set: (key, value) => void values.set(key, JSON.stringify(value)),
  };
}

function vault(dir = mkdtempSync(join(tmpdir(), 'deskline-tokens-'))): SecretVault {
  return new SecretVault(new FileKeyProvider(dir));
}

describe('GoogleTokenStore', () => {
  it('stores the refresh token sealed and gives it back', () => {
    const settings = memorySettings();
    const dir = mkdtempSync(join(tmpdir(), 'deskline-tokens-'));
    const store = new GoogleTokenStore(new SealedSettingsKeeper(settings, vault(dir)));
    expect(store.loadRefreshToken()).toBeNull();
    store.saveRefreshToken(TOKEN);
    expect([...settings.values.keys()]).toEqual([REFRESH_TOKEN_KEY]);
    expect(String(settings.values.get(REFRESH_TOKEN_KEY))).not.toContain(TOKEN);
    // A new process with the same data dir can read it.
    expect(new GoogleTokenStore(new SealedSettingsKeeper(settings, vault(dir))).loadRefreshToken()).toBe(TOKEN);
  });

  it('forgets the token on clear', () => {
    const store = new GoogleTokenStore(new SealedSettingsKeeper(memorySettings(), vault()));
    store.saveRefreshToken(TOKEN);
    store.clear();
    expect(store.loadRefreshToken()).toBeNull();
  });

  it('asks to reconnect when the sealed token cannot be opened (another key, or altered)', () => {
    const settings = memorySettings();
    new GoogleTokenStore(new SealedSettingsKeeper(settings, vault())).saveRefreshToken(TOKEN);
    expect(() => new GoogleTokenStore(new SealedSettingsKeeper(settings, vault())).loadRefreshToken()).toThrow(/connect Google Calendar again/);
  });
});
