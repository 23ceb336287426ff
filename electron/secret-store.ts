import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SECRET_NAMES, type SecretName, type SecretsStatus } from './bridge.js';

/**
 * The clinic's Twilio token, OpenAI key and Google refresh token, encrypted with the OS
 * (Electron safeStorage: Keychain on macOS, DPAPI on Windows, the keyring on Linux) into
 * <userData>/secrets.json. Plain text exists only in main's memory and on the way to the
 * engine over its private port: never in a file, a log line or a backup.
 */

/** The part of Electron's safeStorage we use (the async API; the sync one is deprecated in Electron 45). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
  setUsePlainTextEncryption?(usePlainText: boolean): void;
}

export interface SecretStoreOptions {
  file: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  /** The user accepted, in a native dialog, storing secrets without a keyring. */
  plaintextAccepted: () => boolean;
}

export const BASIC_TEXT_PROBLEM =
  'Deskline will not save passwords or API keys on this computer yet: no keyring is running, so they could only be ' +
  'scrambled with a fixed key that anyone can look up (Electron\'s "basic_text" store). To fix it, install and unlock a ' +
  'keyring: on GNOME, Xfce or Cinnamon run "sudo apt install gnome-keyring libsecret-1-0", on KDE turn on KWallet; then ' +
  'log out, log back in and restart Deskline. If this PC is dedicated to the front desk and kept secure, you can instead ' +
  'accept the risk in Settings.';

export const NO_ENCRYPTION_PROBLEM =
  'Deskline cannot save passwords or API keys: this computer\'s secure storage (macOS Keychain, Windows data protection ' +
  'or a Linux keyring) is not available to it. Sign in to the computer normally (not as a service) and restart Deskline.';

export class SecretStoreError extends Error {}

interface FileShape {
  version: 1;
  values: Partial<Record<SecretName, string>>;
}

const MAX_SECRET_LENGTH = 4096;

export class SecretStore {
  constructor(private readonly o: SecretStoreOptions) {}

  /** Which store protects the secrets: Linux reports its keyring backend; elsewhere it is the OS's. */
  backend(): string {
    if (this.o.platform === 'linux') return this.o.safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    return this.o.platform === 'darwin' ? 'keychain' : this.o.platform === 'win32' ? 'dpapi' : this.o.platform;
  }

  /** Null when secrets may be stored; otherwise why not and how to fix it. */
  async problem(): Promise<string | null> {
    if (this.o.platform === 'linux' && this.backend() === 'basic_text') {
      if (!this.o.plaintextAccepted()) return BASIC_TEXT_PROBLEM;
      this.o.safeStorage.setUsePlainTextEncryption?.(true);
    }
    return (await this.o.safeStorage.isAsyncEncryptionAvailable()) ? null : NO_ENCRYPTION_PROBLEM;
  }

  async status(): Promise<SecretsStatus> {
    const problem = await this.problem();
    const stored = this.read().values;
    const set = Object.fromEntries(SECRET_NAMES.map((n) => [n, typeof stored[n] === 'string'])) as Record<SecretName, boolean>;
    return { canStore: problem === null, backend: this.backend(), problem, plaintextRiskAccepted: this.o.plaintextAccepted(), set };
  }

  /** Stores a secret, or forgets it with null. Forgetting always works; storing needs safe storage. */
  async set(name: SecretName, value: string | null): Promise<void> {
    if (!SECRET_NAMES.includes(name)) throw new SecretStoreError(`Unknown secret "${String(name)}".`);
    const file = this.read();
    if (value === null) {
      delete file.values[name];
      this.write(file);
      return;
    }
    const trimmed = typeof value === 'string' ? value.trim() : '';
    if (!trimmed) throw new SecretStoreError('The value is empty. To remove a saved value, clear it instead.');
    if (trimmed.length > MAX_SECRET_LENGTH) throw new SecretStoreError('The value is too long to be a key or token.');
    const problem = await this.problem();
    if (problem) throw new SecretStoreError(problem);
    file.values[name] = (await this.o.safeStorage.encryptStringAsync(trimmed)).toString('base64');
    this.write(file);
  }

  /**
   * Every secret that can be decrypted, for the engine. One that cannot (the keyring was
   * reset, the file was copied from another PC) is reported by name and left in place,
   * so it can be entered again.
   */
  async readAll(): Promise<{ values: Partial<Record<SecretName, string>>; unreadable: SecretName[] }> {
    const file = this.read();
    const values: Partial<Record<SecretName, string>> = {};
    const unreadable: SecretName[] = [];
    let reEncrypt = false;
    for (const name of SECRET_NAMES) {
      const sealed = file.values[name];
      if (typeof sealed !== 'string') continue;
      try {
        const { result, shouldReEncrypt } = await this.o.safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
        values[name] = result;
        if (shouldReEncrypt) {
          file.values[name] = (await this.o.safeStorage.encryptStringAsync(result)).toString('base64');
          reEncrypt = true;
        }
      } catch {
        unreadable.push(name);
      }
    }
    if (reEncrypt) this.write(file);
    return { values, unreadable };
  }

  private read(): FileShape {
    try {
      const parsed = JSON.parse(readFileSync(this.o.file, 'utf8')) as Partial<FileShape>;
      const values: Partial<Record<SecretName, string>> = {};
      for (const name of SECRET_NAMES) {
        const v = parsed.values?.[name];
        if (typeof v === 'string') values[name] = v;
      }
      return { version: 1, values };
    } catch {
      return { version: 1, values: {} };
    }
  }

  private write(file: FileShape): void {
    mkdirSync(dirname(this.o.file), { recursive: true });
    const tmp = `${this.o.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.o.file);
  }
}
