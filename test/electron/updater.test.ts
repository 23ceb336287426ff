import { describe, expect, it, vi } from 'vitest';
import { resolveUpdateUrl, startAutoUpdates, updateConfigYaml, type AutoUpdateDeps, type UpdaterLike } from '../../electron/updater.js';

function fakeUpdater(): UpdaterLike {
  return { autoDownload: false, autoInstallOnAppQuit: false, updateConfigPath: null, on: vi.fn() as UpdaterLike['on'], checkForUpdates: vi.fn(async () => null) };
}

function deps(patch: Partial<AutoUpdateDeps> = {}) {
  const updater = fakeUpdater();
  const d: AutoUpdateDeps = {
    updater: vi.fn(() => updater),
    update: resolveUpdateUrl('https://it.clinic.example/deskline', null),
    isPackaged: true,
    platform: 'win32',
    publisherNames: ['Deskline Health Ltd'],
    configFile: '/userData/update-config.yml',
    writeFile: vi.fn(),
    onUpdateReady: vi.fn(),
    log: { info: vi.fn(), warn: vi.fn() },
    intervalMs: 1e9,
    ...patch,
  };
  return { d, updater };
}

describe('auto-update', () => {
  it('is off unless a URL is set (environment first, then the setting), and only over https', () => {
    expect(resolveUpdateUrl(undefined, null).url).toBeNull();
    expect(resolveUpdateUrl('', null).reason).toMatch(/no update URL/);
    expect(resolveUpdateUrl(undefined, 'https://it.example/u').url).toBe('https://it.example/u/');
    expect(resolveUpdateUrl('https://env.example/u/', 'https://setting.example/').url).toBe('https://env.example/u/');
    expect(resolveUpdateUrl('http://it.example/u', null)).toEqual({ url: null, reason: expect.stringMatching(/https/) });
    expect(resolveUpdateUrl('https://user:pw@it.example/u', null).url).toBeNull();
  });

  it('does not even load electron-updater when off, or in development', () => {
    const off = deps({ update: resolveUpdateUrl(undefined, null) });
    expect(startAutoUpdates(off.d).enabled).toBe(false);
    expect(off.d.updater).not.toHaveBeenCalled();
    const dev = deps({ isPackaged: false });
    expect(startAutoUpdates(dev.d).enabled).toBe(false);
    expect(dev.d.updater).not.toHaveBeenCalled();
  });

  it('refuses on Windows when this build pins no publisher', () => {
    const { d } = deps({ publisherNames: [] });
    expect(startAutoUpdates(d)).toEqual({ enabled: false, reason: expect.stringMatching(/no pinned publisher/) });
  });

  it('writes its own updater config with the pinned publisher, so a build signed by anyone else is refused', () => {
    const { d, updater } = deps();
    expect(startAutoUpdates(d).enabled).toBe(true);
    expect(d.writeFile).toHaveBeenCalledWith('/userData/update-config.yml', updateConfigYaml('https://it.clinic.example/deskline/', ['Deskline Health Ltd']));
    expect(updater.updateConfigPath).toBe('/userData/update-config.yml');
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(updateConfigYaml('https://u.example/', ['Deskline Health Ltd'])).toBe(
      'provider: generic\nurl: "https://u.example/"\nupdaterCacheDirName: deskline-updater\npublisherName:\n  - "Deskline Health Ltd"\n',
    );
  });
});
