import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bumped if the sealing scheme ever changes, so old values can still be recognised. */
const FORMAT_PREFIX = 'v1:';

/** Where the vault's 32-byte key comes from (a file headless, the OS keychain on the desktop). */
export interface KeyProvider {
  getKey(): Buffer;
}

/** A sealed value could not be opened: damaged, tampered with, or sealed under another key. */
export class SecretVaultError extends Error {}

/**
 * Seals small secrets (refresh tokens, client secrets) with AES-256-GCM so they can rest
 * in the settings database: reading the database alone reveals nothing, and any change to
 * a sealed value is detected rather than silently decrypting to garbage.
 */
export class SecretVault {
  private key: Buffer | null = null;

  constructor(private readonly keys: KeyProvider) {}

  /** `v1:` + base64(iv ‖ tag ‖ ciphertext); a fresh iv each time, so equal secrets seal differently. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey(), iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return FORMAT_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(FORMAT_PREFIX)) {
      throw new SecretVaultError('Sealed secret has an unknown format (expected "v1:")');
    }
    const raw = Buffer.from(sealed.slice(FORMAT_PREFIX.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretVaultError('Sealed secret is truncated');
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.currentKey(), iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // GCM cannot tell a wrong key from tampering; both mean the value is unusable.
      throw new SecretVaultError('Sealed secret failed authentication: it was altered or sealed with a different key');
    }
  }

  private currentKey(): Buffer {
    if (!this.key) {
      const key = this.keys.getKey();
      if (key.length !== KEY_BYTES) throw new SecretVaultError(`Vault key must be ${KEY_BYTES} bytes, got ${key.length}`);
      this.key = key;
    }
    return this.key;
  }
}

/**
 * Headless key storage: a random key in `<dataDir>/secret.key`, readable only by the
 * engine's user. It protects sealed values from anyone who gets the database but not
 * the data directory (a copied or backed-up database, a support bundle).
 */
export class FileKeyProvider implements KeyProvider {
  readonly path: string;

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, 'secret.key');
  }

  getKey(): Buffer {
    mkdirSync(this.dataDir, { recursive: true });
    try {
      // 'wx' so two processes starting together cannot both create (and disagree on) the key.
      writeFileSync(this.path, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    this.tightenMode();
    const key = Buffer.from(readFileSync(this.path, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new SecretVaultError(`${this.path} is damaged: expected a ${KEY_BYTES}-byte base64 key`);
    return key;
  }

  /** The umask or a copied file may have left it wider; POSIX modes mean nothing on Windows. */
  private tightenMode(): void {
    if (process.platform === 'win32') return;
    if ((statSync(this.path).mode & 0o777) !== 0o600) chmodSync(this.path, 0o600);
  }
}
