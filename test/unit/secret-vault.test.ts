import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileKeyProvider, SecretVault, SecretVaultError } from '../../voice-engine/src/secrets/vault.js';

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'deskline-vault-'));
}

const SECRET = '1//0gRefreshTokenExample-abcdefghijklmnop';

describe('SecretVault', () => {
  it('round-trips a secret and never shows it in the sealed form', () => {
    const vault = new SecretVault(new FileKeyProvider(dataDir()));
    const sealed = vault.encrypt(SECRET);
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(sealed).not.toContain(SECRET);
    expect(Buffer.from(sealed.slice(3), 'base64').toString('latin1')).not.toContain(SECRET);
    expect(vault.decrypt(sealed)).toBe(SECRET);
    // A fresh iv each time: equal secrets do not produce equal ciphertexts.
    expect(vault.encrypt(SECRET)).not.toBe(sealed);
    expect(vault.decrypt(vault.encrypt(''))).toBe('');
  });

  it('detects tampering', () => {
    const vault = new SecretVault(new FileKeyProvider(dataDir()));
    const raw = Buffer.from(vault.encrypt(SECRET).slice(3), 'base64');
    for (const index of [0, 14, raw.length - 1]) {
      const altered = Buffer.from(raw);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      expect(() => vault.decrypt(`v1:${altered.toString('base64')}`)).toThrow(/altered or sealed with a different key/);
    }
    expect(() => vault.decrypt(`v1:${raw.subarray(0, 10).toString('base64')}`)).toThrow(SecretVaultError);
    expect(() => vault.decrypt('v2:abcd')).toThrow(/unknown format/);
  });

  it('keeps its key in secret.key, readable only by the owner, and reuses it', () => {
    const dir = dataDir();
    const sealed = new SecretVault(new FileKeyProvider(dir)).encrypt(SECRET);
    const keyFile = join(dir, 'secret.key');
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(new SecretVault(new FileKeyProvider(dir)).decrypt(sealed)).toBe(SECRET);
  });

  it('cannot open a secret sealed under a different key', () => {
    const sealed = new SecretVault(new FileKeyProvider(dataDir())).encrypt(SECRET);
    const other = new SecretVault(new FileKeyProvider(dataDir()));
    expect(() => other.decrypt(sealed)).toThrow(SecretVaultError);
  });

  it('rejects a key of the wrong size', () => {
    const vault = new SecretVault({ getKey: () => Buffer.alloc(16) });
    expect(() => vault.encrypt(SECRET)).toThrow(/32 bytes/);
  });
});
