import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { makeConfig } = require('../../build/builder-config.cjs') as { makeConfig: (env: Record<string, string | undefined>) => Record<string, any> };
const notice = require('../../build/signing-notice.cjs') as {
  signingProblems: (platform: string, env: Record<string, string | undefined>) => string[];
  afterAllArtifactBuild: (result: { platformToTargets: Map<{ nodeName: string }, unknown> }) => Promise<string[]>;
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (config: unknown, debug: unknown) => Promise<void> };

// The same glob matcher electron-builder applies to asarUnpack.
const { minimatch } = createRequire(require.resolve('app-builder-lib/package.json'))('minimatch') as { minimatch: (path: string, pattern: string, options?: object) => boolean };

const validate = (config: unknown) => validateConfiguration(config, { isEnabled: false, add: () => undefined });

afterEach(() => vi.restoreAllMocks());

describe('electron-builder config', () => {
  it('is what build/electron-builder.config.cjs exports, and passes electron-builder\'s own schema', async () => {
    const fromFile = require('../../build/electron-builder.config.cjs');
    expect(Object.keys(fromFile).sort()).toEqual(Object.keys(makeConfig(process.env)).sort());
    await expect(validate(makeConfig({}))).resolves.toBeUndefined();
    await expect(
      validate(makeConfig({ DESKLINE_UPDATE_URL: 'https://it.clinic.example/deskline', AZURE_SIGN_ENDPOINT: 'https://eus.codesigning.azure.net', AZURE_CERT_PROFILE_NAME: 'p', AZURE_CODE_SIGNING_ACCOUNT_NAME: 'a' })),
    ).resolves.toBeUndefined();
  });

  it('names the app and points main at the built ESM entry', () => {
    const c = makeConfig({});
    expect(c.appId).toBe('com.deskline.app');
    expect(c.productName).toBe('Deskline');
    expect(c.extraMetadata.main).toBe('electron/dist/main.js');
    expect(c.asar).toBe(true);
  });

  it('flips the security fuses', () => {
    expect(makeConfig({}).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('unpacks better-sqlite3\'s native module from the asar', () => {
    const patterns: string[] = makeConfig({}).asarUnpack;
    const matches = (p: string) => patterns.some((pattern) => minimatch(p, pattern, { dot: true }));
    expect(matches('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(matches('node_modules/openai/index.js')).toBe(false);
    // …and no `files` exclusion drops it (only its C sources and build leftovers go).
    const excluded = (p: string) => (makeConfig({}).files as string[]).filter((f) => f.startsWith('!')).some((f) => minimatch(p, f.slice(1), { dot: true }));
    expect(excluded('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(false);
    expect(excluded('node_modules/better-sqlite3/lib/database.js')).toBe(false);
    expect(excluded('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(true);
  });

  it('ships only built output, the icons and the tray images, which all exist', () => {
    const c = makeConfig({});
    expect(c.files).toEqual(expect.arrayContaining(['electron/dist/**/*', 'voice-engine/dist/**/*', 'renderer/dist/**/*', '!**/*.map']));
    for (const icon of [c.win.icon, c.mac.icon, c.linux.icon, 'resources/tray/answering.png', 'resources/tray/error@2x.png']) expect(existsSync(resolve(ROOT, icon)), icon).toBe(true);
    const png = readFileSync(resolve(ROOT, 'resources/icon.png'));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('builds NSIS with a per-machine option, macOS dmg hardened with entitlements, Linux AppImage and deb', () => {
    const c = makeConfig({});
    expect(c.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(c.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(c.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.plist' });
    expect(c.mac.target[0].target).toBe('dmg');
    expect(readFileSync(resolve(ROOT, c.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('signs Windows from the environment: certificate store by subject name, or Azure Trusted Signing', () => {
    const store = makeConfig({ WIN_CERT_SUBJECT_NAME: 'Deskline Health Ltd', DESKLINE_PUBLISHER_NAME: 'Deskline Health Ltd' });
    expect(store.win.signtoolOptions).toMatchObject({ certificateSubjectName: 'Deskline Health Ltd', publisherName: ['Deskline Health Ltd'] });
    expect(store.win.azureSignOptions).toBeUndefined();
    const azure = makeConfig({ AZURE_SIGN_ENDPOINT: 'https://eus.codesigning.azure.net', AZURE_CERT_PROFILE_NAME: 'prof', AZURE_CODE_SIGNING_ACCOUNT_NAME: 'acct' });
    expect(azure.win.azureSignOptions).toEqual({ endpoint: 'https://eus.codesigning.azure.net', certificateProfileName: 'prof', codeSigningAccountName: 'acct', publisherName: 'Deskline' });
    expect(azure.win.signtoolOptions).toBeUndefined();
  });

  it('pins the publisher for update checks, in the signing options and in the app\'s package.json', () => {
    const c = makeConfig({});
    expect(c.win.signtoolOptions.publisherName).toEqual(['Deskline']);
    expect(c.win.verifyUpdateCodeSignature).toBe(true);
    expect(c.extraMetadata.desklineUpdate).toEqual({ publisherName: ['Deskline'] });
  });

  it('has no update provider without a URL, a generic one with an https URL, and refuses http', () => {
    expect(makeConfig({}).publish).toBeNull();
    expect(makeConfig({ DESKLINE_UPDATE_URL: 'https://it.clinic.example/deskline' }).publish).toEqual([{ provider: 'generic', url: 'https://it.clinic.example/deskline/' }]);
    expect(() => makeConfig({ DESKLINE_UPDATE_URL: 'http://it.clinic.example/deskline' })).toThrow(/https/);
  });

  it('notarizes only with Apple credentials in the environment', () => {
    expect(makeConfig({}).mac.notarize).toBe(false);
    expect(makeConfig({ APPLE_API_KEY: '/k.p8', APPLE_API_KEY_ID: 'K', APPLE_API_ISSUER: 'I' }).mac.notarize).toBe(true);
  });
});

describe('the unsigned-build warning', () => {
  it('calls out an unsigned Windows installer and an unnotarized Mac app', () => {
    expect(notice.signingProblems('win32', {}).join(' ')).toMatch(/NOT code-signed/);
    expect(notice.signingProblems('win32', { CSC_LINK: '/cert.pfx' })).toEqual([]);
    expect(notice.signingProblems('win32', { WIN_CERT_SUBJECT_NAME: 'Deskline Health Ltd' })).toEqual([]);
    expect(notice.signingProblems('darwin', { CSC_LINK: '/cert.p12' }).join(' ')).toMatch(/NOT notarized/);
    expect(notice.signingProblems('darwin', { CSC_LINK: '/c.p12', APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'b', APPLE_TEAM_ID: 'c' })).toEqual([]);
  });

  it('prints a banner at the end of an unsigned build and adds no artifacts', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const saved = { ...process.env };
    for (const key of ['CSC_LINK', 'WIN_CSC_LINK', 'WIN_CERT_SUBJECT_NAME', 'WIN_CERT_SHA1', 'AZURE_SIGN_ENDPOINT']) delete process.env[key];
    try {
      expect(await notice.afterAllArtifactBuild({ platformToTargets: new Map([[{ nodeName: 'win32' }, new Map()]]) })).toEqual([]);
    } finally {
      process.env = saved;
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/UNSIGNED BUILD WARNING \(win32\)/);
  });
});
