/**
 * Deskline's Electron main process: the composition root and nothing more. It forks the
 * voice engine (supervisor.ts), hands out ports, and owns the window, the tray and the
 * menus. Every decision lives in a module that tests run without Electron; this file only
 * connects those modules to the real Electron APIs. The engine's logic never lives here.
 */
import { app, dialog, Menu, MessageChannelMain, nativeImage, powerMonitor, protocol, safeStorage, session, shell, Tray, utilityProcess } from 'electron';
import type { BrowserWindow, MessagePortMain, NativeImage } from 'electron';
import log from 'electron-log/main';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { IPC, SECRET_NAMES, type EngineStatus, type SecretName, type ShellInfo } from './bridge.js';
import { EngineClient } from './engine-client.js';
import { scrubSecrets } from './engine-output.js';
import { QuitGuard, quitPrompt } from './lifecycle.js';
import { applyLaunchAtLogin, startedAtLogin } from './login-item.js';
import { registerMainIpc } from './main-ipc.js';
import { createDashboardWindow } from './main-window.js';
import { appPaths, dataPaths, devSqliteBinding, pinnedPublisherNames } from './paths.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.js';
import { SecretStore } from './secret-store.js';
import { APP_SCHEME } from './security.js';
import { SettingsFile } from './settings.js';
import { EngineSupervisor } from './supervisor.js';
import { TrayController, type TrayIconName } from './tray.js';
import { resolveUpdateUrl, startAutoUpdates, type UpdaterLike } from './updater.js';
import { hardenSession } from './window.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const paths = appPaths(ROOT);

// One folder for everything, the one the engine uses by default (README, DESKLINE_DATA_DIR),
// whatever name Electron would have derived from package.json.
app.setName('Deskline');
app.setPath('userData', join(app.getPath('appData'), 'Deskline'));
const data = dataPaths(app.getPath('userData'));
app.setAppLogsPath(data.logDir);
if (process.platform === 'win32') app.setAppUserModelId('com.deskline.app');

log.transports.file.resolvePathFn = () => data.mainLog;
log.transports.file.maxSize = 10 * 1024 * 1024;
log.errorHandler.startCatching({ showDialog: false });
const engineLog = log.scope('engine');

// Before `ready`: a scheme's privileges are fixed at start-up.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME_PRIVILEGES.scheme, privileges: { ...APP_SCHEME_PRIVILEGES.privileges } }]);

const settings = new SettingsFile(data.settings);
const secretValues = new Map<SecretName, string>();
let win: BrowserWindow | null = null;
let trayIcon: Tray | null = null; // held so it is never garbage-collected off the screen
let tray: TrayController | null = null;
let paused = false;
let secretStore: SecretStore | null = null;
let updates = { enabled: false, reason: 'Automatic updates are not set up yet.' };

const engineClient = new EngineClient((view) => tray?.update({ activeCalls: view.activeCalls, notReady: view.notReady }));

const supervisor = new EngineSupervisor<MessagePortMain>({
  fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
  createChannel: () => new MessageChannelMain(),
  modulePath: paths.engineEntry,
  env: engineEnv(),
  logDir: data.logDir,
  // Secrets travel over the engine's private port after every start, never through its environment.
  readyMessages: () => [
    { type: 'secrets', values: Object.fromEntries(SECRET_NAMES.map((name) => [name, secretValues.get(name) ?? null])) },
    { type: 'answering', paused },
  ],
  onOutput: (stream, line) => engineLog[stream === 'stderr' ? 'warn' : 'info'](scrubSecrets(line, secretValues.values())),
  onStatus: onEngineStatus,
  onMessage: (message) => void onEngineMessage(message),
  log: log.scope('supervisor'),
});

const quitGuard = new QuitGuard({
  activeCalls: async () => {
    const fresh = await Promise.race([engineClient.refresh(), new Promise<null>((r) => setTimeout(() => r(null), 2_000))]);
    return (fresh ?? engineClient.view()).activeCalls;
  },
  confirm: async (calls) => {
    const prompt = quitPrompt(calls);
    const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, prompt) : await dialog.showMessageBox(prompt);
    return response === 1;
  },
  quit: () => app.quit(),
});

function engineEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  env.DESKLINE_DATA_DIR = app.getPath('userData');
  env.DESKLINE_SHELL = 'electron';
  const binding = app.isPackaged ? null : devSqliteBinding(ROOT);
  if (binding) env.DESKLINE_SQLITE_BINDING = binding;
  return env;
}

function onEngineStatus(status: EngineStatus): void {
  tray?.update({ engine: status });
  if (win && !win.isDestroyed()) win.webContents.send(IPC.engineStatus, status);
  if (status.state !== 'ready') engineClient.disconnect();
  if (status.state === 'failed') void reportEngineFailure(status);
}

/** The engine is down for good: say so where staff will see it, with the way to the logs. */
async function reportEngineFailure(status: EngineStatus): Promise<void> {
  showDashboard();
  const options = {
    type: 'error' as const,
    title: 'Deskline is not answering calls',
    message: 'Deskline\'s voice engine keeps stopping, so calls are not being answered.',
    detail: `${status.message ?? ''}\n\nLogs: ${status.logDir}`,
    buttons: ['Open logs folder', 'Restart voice engine', 'Close'],
    defaultId: 0,
    cancelId: 2,
  };
  const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  if (response === 0) void shell.openPath(data.logDir);
  if (response === 1) supervisor.retry();
}

/** The engine hands the shell a secret to keep (e.g. Google's refresh token after sign-in). */
async function onEngineMessage(message: Record<string, unknown>): Promise<void> {
  if (message.type !== 'secret-update' || !secretStore) return;
  const name = message.name as SecretName;
  const value = typeof message.value === 'string' ? message.value : null;
  try {
    await secretStore.set(name, value);
    if (value === null) secretValues.delete(name);
    else secretValues.set(name, value.trim());
    supervisor.send({ type: 'secret-stored', name, ok: true });
  } catch (err) {
    const problem = err instanceof Error ? err.message : String(err);
    log.warn(`Could not store ${String(name)}: ${problem}`);
    supervisor.send({ type: 'secret-stored', name, ok: false, problem });
  }
}

function setLaunchAtLogin(enabled: boolean): void {
  settings.update({ launchAtLogin: enabled });
  try {
    applyLaunchAtLogin(enabled, {
      platform: process.platform,
      isPackaged: app.isPackaged,
      setLoginItemSettings: (s) => app.setLoginItemSettings(s),
      execPath: process.execPath,
      appImagePath: process.env.APPIMAGE,
      autostartDir: join(process.env.XDG_CONFIG_HOME || join(app.getPath('home'), '.config'), 'autostart'),
    });
  } catch (err) {
    log.warn(`Could not change launch at login: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function shellInfo(): ShellInfo {
  return {
    version: app.getVersion(),
    launchAtLogin: settings.get().launchAtLogin,
    launchAtLoginSupported: app.isPackaged && ['win32', 'darwin', 'linux'].includes(process.platform),
    engine: supervisor.status(),
    updates,
  };
}

function setPaused(value: boolean): void {
  paused = value;
  supervisor.send({ type: 'answering', paused });
  tray?.update({ paused });
}

function openWindow(show: boolean): BrowserWindow {
  return createDashboardWindow(show, {
    paths,
    version: app.getVersion(),
    devTools: !app.isPackaged,
    settings,
    supervisor,
    quitGuard,
    log,
    onClosed: (w) => {
      if (win === w) win = null;
    },
  });
}

function showDashboard(): void {
  if (!win || win.isDestroyed()) win = openWindow(true);
  else {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  }
}

function createTray(): void {
  const images = new Map<TrayIconName, NativeImage>();
  const image = (name: TrayIconName) => images.get(name) ?? images.set(name, nativeImage.createFromPath(paths.trayIcon(name))).get(name)!;
  const t = (trayIcon = new Tray(image('starting')));
  t.on('click', () => showDashboard());
  tray = new TrayController(
    { setImage: (name) => t.setImage(image(name)), setToolTip: (text) => t.setToolTip(text), setMenu: (items) => t.setContextMenu(Menu.buildFromTemplate(items)) },
    { openDashboard: showDashboard, setPaused, restartEngine: () => supervisor.retry(), openLogsFolder: () => void shell.openPath(data.logDir), quit: () => app.quit() },
    { engine: supervisor.status(), paused, activeCalls: 0, notReady: null, updateReady: false },
  );
}

/** electron-updater is CommonJS and only loaded in an installed app that has an update URL. */
function loadUpdater(): UpdaterLike {
  const { autoUpdater } = createRequire(import.meta.url)('electron-updater') as typeof import('electron-updater');
  autoUpdater.logger = log.scope('updater');
  return autoUpdater;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: paths.rendererDir }));
  if (process.platform === 'darwin') Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]));
  else if (app.isPackaged) Menu.setApplicationMenu(null);

  const store = (secretStore = new SecretStore({ file: data.secrets, safeStorage, platform: process.platform, plaintextAccepted: () => settings.get().plaintextSecretsAccepted }));
  const stored = await store.readAll();
  for (const [name, value] of Object.entries(stored.values)) secretValues.set(name as SecretName, value);
  for (const name of stored.unreadable) log.warn(`The saved ${name} could not be decrypted (was the keyring reset?). Enter it again in Settings.`);
  registerMainIpc({
    store,
    secretValues,
    settings,
    sendToEngine: (message) => supervisor.send(message),
    shellInfo,
    setLaunchAtLogin,
    logDir: data.logDir,
    window: () => win,
    log,
  });

  createTray();
  supervisor.addClient(engineClient);
  supervisor.start();
  setLaunchAtLogin(settings.get().launchAtLogin);
  win = openWindow(!startedAtLogin(process.argv, process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin));

  updates = startAutoUpdates({
    updater: loadUpdater,
    update: resolveUpdateUrl(process.env.DESKLINE_UPDATE_URL, settings.get().updateUrl),
    isPackaged: app.isPackaged,
    platform: process.platform,
    publisherNames: pinnedPublisherNames(ROOT),
    configFile: data.updateConfig,
    writeFile: (file, text) => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text, { mode: 0o600 });
    },
    onUpdateReady: (version) => {
      log.info(`Update ${version} downloaded; it installs when Deskline restarts.`);
      tray?.update({ updateReady: true });
    },
    log: log.scope('updater'),
  });
}

if (!app.requestSingleInstanceLock()) {
  // Deskline is already running (maybe hidden in the tray): that copy shows its window, this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => showDashboard());
  app.on('activate', () => showDashboard());
  // Keep answering with no window: only a QuitGuard-approved quit ends the app.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => quitGuard.onBeforeQuit(event));
  let engineStopped = false;
  app.on('will-quit', (event) => {
    if (engineStopped) return;
    event.preventDefault();
    void supervisor.stop().finally(() => {
      engineStopped = true;
      trayIcon?.destroy();
      app.quit();
    });
  });
  app
    .whenReady()
    .then(() => {
      powerMonitor.on('shutdown', () => {
        quitGuard.allowQuit();
        app.quit();
      });
      return start();
    })
    .catch((err: unknown) => {
      log.error('Deskline could not start', err);
      dialog.showErrorBox('Deskline could not start', `${err instanceof Error ? err.message : String(err)}\n\nLogs: ${data.logDir}`);
      app.exit(1);
    });
}
