import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrayIconName } from './tray.js';

/**
 * Where the app's files are, relative to the app root: the project folder in development,
 * app.asar when installed (utilityProcess and the protocol handler both read from asar;
 * better-sqlite3's .node file is unpacked beside it by the builder config).
 */
export interface AppPaths {
  root: string;
  rendererDir: string;
  engineEntry: string;
  preload: string;
  windowIcon: string;
  trayIcon(name: TrayIconName): string;
}

export function appPaths(root: string): AppPaths {
  return {
    root,
    rendererDir: join(root, 'renderer', 'dist'),
    engineEntry: join(root, 'voice-engine', 'dist', 'utility.js'),
    preload: join(root, 'electron', 'dist', 'preload.cjs'),
    windowIcon: join(root, 'resources', 'icon.png'),
    trayIcon: (name) => join(root, 'resources', 'tray', `${name}.png`),
  };
}

/** userData layout. The engine gets the same folder as its data dir, so its logs sit next to ours. */
export function dataPaths(userData: string) {
  return {
    logDir: join(userData, 'logs'),
    mainLog: join(userData, 'logs', 'main.log'),
    settings: join(userData, 'desktop-settings.json'),
    secrets: join(userData, 'secrets.json'),
    updateConfig: join(userData, 'update-config.yml'),
  };
}

/**
 * Development only: `npm start` runs the engine inside Electron, whose Node ABI differs
 * from the system Node the tests use. build/prepare-dev-native.mjs builds an Electron
 * copy of better-sqlite3's binding here; the engine loads it when DESKLINE_SQLITE_BINDING
 * points at it. Installed apps get a rebuilt module from electron-builder instead.
 */
export function devSqliteBinding(root: string): string | null {
  const file = join(root, 'node_modules', '.cache', 'deskline-electron-native', 'better_sqlite3.node');
  return existsSync(file) ? file : null;
}

/** The Windows code-signing publisher pinned at build time (builder config → package.json `desklineUpdate`). */
export function pinnedPublisherNames(root: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { desklineUpdate?: { publisherName?: unknown } };
    const names = pkg.desklineUpdate?.publisherName;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && n.length > 0) : [];
  } catch {
    return [];
  }
}
