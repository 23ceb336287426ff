import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BASIC_TEXT_PROBLEM, NO_ENCRYPTION_PROBLEM, SecretStore, SecretStoreError, type SafeStorageLike } from '../../electron/secret-store.js';

/** A reversible stand-in for the OS keychain: the ciphertext never contains the plaintext. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true) {
  const key = 0x5a;
  const safe: SafeStorageLike & { reEncrypt: boolean } = {
    reEncrypt: false,
    isAsyncEncryptionAvailable: vi.fn(async () => available),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.concat([Buffer.from('v11'), Buffer.from(plain, 'utf8').map((b) => b ^ key)])),
    decryptStringAsync: vi.fn(async (enc: Buffer) => {
      if (enc.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { shouldReEncrypt: safe.reEncrypt, result: Buffer.from(enc.subarray(3).map((b) => b ^ key)).toString('utf8') };
    }),
    getSelectedStorageBackend: vi.fn(() => backend),
    setUsePlainTextEncryption: vi.fn(),
  };
  return safe;
}

function setup(options: { backend?: string; available?: boolean; platform?: NodeJS.Platform; accepted?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskline-secrets-'));
  const file = join(dir, 'secrets.json');
  const safeStorage = fakeSafeStorage(options.backend, options.available ?? true);
  let accepted = options.accepted ?? false;
  const store = new SecretStore({ file, safeStorage, platform: options.platform ?? 'linux', plaintextAccepted: () => accepted });
  return { store, file, safeStorage, accept: () => (accepted = true) };
}

const OPENAI = 'sk-proj-Abc123SecretValue';
const TWILIO = 'f00dfacecafe1234f00dfacecafe1234';

describe('SecretStore', () => {
  it('round-trips every secret through safeStorage, never writing plain text', async () => {
    const { store, file } = setup();
    await store.set('openaiApiKey', `  ${OPENAI}  `);
    await store.set('twilioAuthToken', TWILIO);
    await store.set('googleRefreshToken', '1//0refresh-token');
    const raw = readFileSync(file, 'utf8');
    for (const secret of [OPENAI, TWILIO, '1//0refresh-token']) expect(raw).not.toContain(secret);
    expect(JSON.parse(raw).version).toBe(1);
    expect(await store.readAll()).toEqual({ values: { openaiApiKey: OPENAI, twilioAuthToken: TWILIO, googleRefreshToken: '1//0refresh-token' }, unreadable: [] });
    expect((await store.status()).set).toEqual({ twilioAuthToken: true, openaiApiKey: true, googleRefreshToken: true, backupKey: false });
  });

  it('keeps the file private to the user', async () => {
    const { store, file } = setup();
    await store.set('openaiApiKey', OPENAI);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('forgets a secret with null', async () => {
    const { store } = setup();
    await store.set('openaiApiKey', OPENAI);
    await store.set('openaiApiKey', null);
    expect((await store.readAll()).values).toEqual({});
  });

  it('refuses empty values and unknown names', async () => {
    const { store } = setup();
    await expect(store.set('openaiApiKey', '   ')).rejects.toBeInstanceOf(SecretStoreError);
    await expect(store.set('dashboardToken' as never, 'x')).rejects.toThrow(/Unknown secret/);
  });

  it('on Linux with the basic_text backend refuses to store, saying why and how to fix it', async () => {
    const { store, file, safeStorage } = setup({ backend: 'basic_text' });
    await expect(store.set('openaiApiKey', OPENAI)).rejects.toThrow(BASIC_TEXT_PROBLEM);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(() => readFileSync(file)).toThrow();
    const status = await store.status();
    expect(status).toMatchObject({ canStore: false, backend: 'basic_text', plaintextRiskAccepted: false });
    expect(status.problem).toMatch(/basic_text/);
    expect(status.problem).toMatch(/gnome-keyring/);
    expect(status.problem).toMatch(/KWallet/);
  });

  it('stores with basic_text only once the user has explicitly accepted the risk', async () => {
    const { store, accept, safeStorage } = setup({ backend: 'basic_text' });
    accept();
    await store.set('openaiApiKey', OPENAI);
    expect(safeStorage.setUsePlainTextEncryption).toHaveBeenCalledWith(true);
    expect((await store.status()).canStore).toBe(true);
    expect((await store.readAll()).values.openaiApiKey).toBe(OPENAI);
  });

  it('ignores the Linux backend check on Windows and macOS', async () => {
    const { store } = setup({ backend: 'basic_text', platform: 'win32' });
    await store.set('openaiApiKey', OPENAI);
    expect((await store.status()).backend).toBe('dpapi');
  });

  it('refuses when the OS offers no encryption at all, but can still forget', async () => {
    const { store } = setup({ available: false, platform: 'darwin' });
    await expect(store.set('openaiApiKey', OPENAI)).rejects.toThrow(NO_ENCRYPTION_PROBLEM);
    await expect(store.set('openaiApiKey', null)).resolves.toBeUndefined();
  });

  it('reports a secret it can no longer decrypt instead of failing the rest', async () => {
    const { store, file } = setup();
    await store.set('openaiApiKey', OPENAI);
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    parsed.values.twilioAuthToken = Buffer.from('garbage').toString('base64');
    writeFileSync(file, JSON.stringify(parsed));
    expect(await store.readAll()).toEqual({ values: { openaiApiKey: OPENAI }, unreadable: ['twilioAuthToken'] });
  });

  it('re-encrypts when safeStorage says the key rotated', async () => {
    const { store, safeStorage } = setup();
    await store.set('openaiApiKey', OPENAI);
    safeStorage.reEncrypt = true;
    await store.readAll();
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(2);
  });
});
