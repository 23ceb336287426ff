import { BrowserWindow, dialog, shell } from 'electron';
import type { MessagePortMain } from 'electron';
import { IPC } from './bridge.js';
import { CLOSE_NOTICE, createCloseHandler, type QuitGuard } from './lifecycle.js';
import type { AppPaths } from './paths.js';
import { APP_ENTRY_URL } from './security.js';
import type { SettingsFile } from './settings.js';
import type { EngineSupervisor } from './supervisor.js';
import { hardenWebContents, mainWindowOptions, WindowPortLink } from './window.js';

/**
 * Wires one dashboard window to Electron: the options and guards from window.ts, the
 * port link to the engine, and hide-on-close from lifecycle.ts. Only main.ts uses this.
 */
export interface DashboardWindowDeps {
  paths: AppPaths;
  version: string;
  devTools: boolean;
  settings: SettingsFile;
  supervisor: EngineSupervisor<MessagePortMain>;
  quitGuard: QuitGuard;
  log: { warn(message: string): void; error(message: string): void };
  onClosed(window: BrowserWindow): void;
}

export function createDashboardWindow(show: boolean, deps: DashboardWindowDeps): BrowserWindow {
  const { supervisor, settings, log } = deps;
  const w = new BrowserWindow(mainWindowOptions({ preloadPath: deps.paths.preload, iconPath: deps.paths.windowIcon, version: deps.version, devTools: deps.devTools }));
  hardenWebContents(w.webContents, {
    clinicUrls: () => settings.get().externalUrls,
    openExternal: (url) => shell.openExternal(url),
    onRefused: (url) => log.warn(`Refused to open ${url}: not on the allowlist.`),
    onNavigationRefused: (url) => log.warn(`Refused to navigate the dashboard to ${url}.`),
  });

  const link: WindowPortLink<MessagePortMain> = new WindowPortLink(
    { postMessage: (channel, message, transfer) => w.webContents.postMessage(channel, message, transfer), reload: () => w.webContents.reload() },
    () => supervisor.requestPort(link),
  );
  w.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) link.pageUnloaded();
  });
  w.webContents.on('did-finish-load', () => {
    link.pageLoaded();
    w.webContents.send(IPC.engineStatus, supervisor.status());
  });
  w.webContents.on('render-process-gone', (_event, details) => {
    log.error(`Dashboard renderer gone (${details.reason}); reloading it.`);
    link.pageUnloaded();
    if (!w.isDestroyed()) w.webContents.reload();
  });
  const removeClient = supervisor.addClient(link);

  w.on(
    'close',
    createCloseHandler({
      isQuitting: () => deps.quitGuard.quitting,
      hide: () => w.hide(),
      noticeShown: () => settings.get().closeNoticeShown,
      markNoticeShown: () => settings.update({ closeNoticeShown: true }),
      showNotice: () => void dialog.showMessageBox(CLOSE_NOTICE),
    }),
  );
  w.on('session-end', () => deps.quitGuard.allowQuit()); // Windows is logging off or shutting down
  w.on('closed', () => {
    removeClient();
    deps.onClosed(w);
  });
  w.once('ready-to-show', () => show && w.show());
  void w.loadURL(APP_ENTRY_URL);
  return w;
}
