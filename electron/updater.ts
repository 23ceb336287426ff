/**
 * Auto-update from a generic server the clinic's IT hosts (electron-builder's latest.yml
 * plus installers). Off unless a URL is set, by DESKLINE_UPDATE_URL or the updateUrl
 * setting: a clinic decides when its receptionist changes.
 *
 * On Windows a downloaded installer is only run if its Authenticode signature names the
 * publisher pinned at build time. electron-updater reads that pin from its config file
 * and skips the check when the file has none, so we always write the file ourselves,
 * pin included, and refuse to enable updates on Windows if this build carries no pin.
 */

export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  updateConfigPath: string | null;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
}

export interface UpdateUrl {
  url: string | null;
  reason: string;
}

export function resolveUpdateUrl(envUrl: string | undefined, settingUrl: string | null): UpdateUrl {
  const raw = envUrl?.trim() || settingUrl?.trim() || '';
  if (!raw) return { url: null, reason: 'Automatic updates are off: no update URL is set (DESKLINE_UPDATE_URL or the updateUrl setting).' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: null, reason: `Automatic updates are off: "${raw}" is not a URL.` };
  }
  if (url.protocol !== 'https:') return { url: null, reason: 'Automatic updates are off: the update URL must start with https://.' };
  if (url.username || url.password) return { url: null, reason: 'Automatic updates are off: the update URL must not contain a user name or password.' };
  const href = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return { url: href, reason: `Automatic updates from ${href}` };
}

/** The updater's config (app-update.yml format). JSON strings are valid YAML scalars. */
export function updateConfigYaml(url: string, publisherNames: readonly string[]): string {
  const lines = ['provider: generic', `url: ${JSON.stringify(url)}`, 'updaterCacheDirName: deskline-updater'];
  if (publisherNames.length > 0) lines.push('publisherName:', ...publisherNames.map((n) => `  - ${JSON.stringify(n)}`));
  return `${lines.join('\n')}\n`;
}

export interface AutoUpdateDeps {
  /** Called only once updates are on, so electron-updater is not even loaded otherwise. */
  updater: () => UpdaterLike;
  update: UpdateUrl;
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** From this build's package.json (`desklineUpdate.publisherName`, set by the builder config). */
  publisherNames: readonly string[];
  /** Where to write the updater config, e.g. <userData>/update-config.yml. */
  configFile: string;
  writeFile(path: string, text: string): void;
  onUpdateReady(version: string): void;
  log: { info(message: string): void; warn(message: string): void };
  intervalMs?: number;
}

export function startAutoUpdates(deps: AutoUpdateDeps): { enabled: boolean; reason: string } {
  if (!deps.isPackaged) return { enabled: false, reason: 'Automatic updates are off in development.' };
  if (!deps.update.url) return { enabled: false, reason: deps.update.reason };
  if (deps.platform === 'win32' && deps.publisherNames.length === 0) {
    return { enabled: false, reason: 'Automatic updates are off: this build has no pinned publisher, so an update\'s signature could not be checked.' };
  }
  deps.writeFile(deps.configFile, updateConfigYaml(deps.update.url, deps.publisherNames));
  const u = deps.updater();
  u.updateConfigPath = deps.configFile;
  u.autoDownload = true;
  // Installed on the next quit or restart: never in the middle of the clinic's day.
  u.autoInstallOnAppQuit = true;
  u.on('update-downloaded', (info) => deps.onUpdateReady(info.version));
  u.on('error', (error) => deps.log.warn(`Update check failed: ${error.message}`));
  const check = () => void u.checkForUpdates().catch((error: unknown) => deps.log.warn(`Update check failed: ${error instanceof Error ? error.message : String(error)}`));
  check();
  setInterval(check, deps.intervalMs ?? 4 * 60 * 60 * 1000).unref?.();
  deps.log.info(deps.update.reason);
  return { enabled: true, reason: deps.update.reason };
}
