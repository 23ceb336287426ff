import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Launch at login. Windows and macOS have an API for it (app.setLoginItemSettings);
 * Linux does not, so we write an XDG autostart entry. A launch at login starts hidden:
 * the engine answers, the dashboard waits in the tray until someone opens it.
 */

export const HIDDEN_ARG = '--hidden';
const DESKTOP_FILE = 'deskline.desktop';

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  /** Development runs use the bare Electron binary: never register that at login. */
  isPackaged: boolean;
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  /** The installed executable. */
  execPath: string;
  /** Set by the AppImage runtime: the .AppImage file itself, which is what must be launched. */
  appImagePath?: string | undefined;
  /** ~/.config/autostart (XDG_CONFIG_HOME aware). */
  autostartDir: string;
}

export interface LoginItemResult {
  supported: boolean;
  note: string | null;
}

/** Quotes a path for an Exec= line per the Desktop Entry spec. */
export function desktopExecQuote(path: string): string {
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(execPath: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Deskline',
    'Comment=AI phone receptionist: answers the clinic phone',
    `Exec=${desktopExecQuote(execPath)} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function applyLaunchAtLogin(enabled: boolean, deps: LoginItemDeps): LoginItemResult {
  if (!deps.isPackaged) return { supported: false, note: 'Launch at login only applies to the installed app.' };
  if (deps.platform === 'win32' || deps.platform === 'darwin') {
    deps.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
    return { supported: true, note: null };
  }
  if (deps.platform === 'linux') {
    const file = join(deps.autostartDir, DESKTOP_FILE);
    if (enabled) {
      mkdirSync(deps.autostartDir, { recursive: true });
      writeFileSync(file, autostartEntry(deps.appImagePath || deps.execPath));
    } else {
      rmSync(file, { force: true });
    }
    return { supported: true, note: null };
  }
  return { supported: false, note: `Launch at login is not supported on ${deps.platform}.` };
}

/** Started by the OS at login (Windows/Linux pass --hidden; macOS tells us itself)? */
export function startedAtLogin(argv: readonly string[], macWasOpenedAtLogin = false): boolean {
  return argv.includes(HIDDEN_ARG) || macWasOpenedAtLogin;
}
