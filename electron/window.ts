import type { BrowserWindowConstructorOptions } from 'electron';
import { IPC } from './bridge.js';
import {
  applyCspHeaders,
  createNavigationGuard,
  createWindowOpenHandler,
  decidePermissionCheck,
  decidePermissionRequest,
  type WindowOpenDeps,
} from './security.js';
import type { PortClient } from './supervisor.js';

/**
 * The dashboard window: its options, the hooks that keep it on our own page, and the
 * link that hands it a port to the engine. Everything takes its Electron objects as
 * parameters so tests can check exactly what is set.
 */

export interface MainWindowInput {
  preloadPath: string;
  iconPath?: string;
  version: string;
  /** DevTools only in development: in an installed app they are a way around every policy here. */
  devTools: boolean;
}

export function mainWindowOptions(input: MainWindowInput): BrowserWindowConstructorOptions {
  return {
    title: 'Deskline',
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    // Shown on ready-to-show (no white flash), or never when started hidden at login.
    show: false,
    autoHideMenuBar: true,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // An urgent call's alert must sound even before anyone has clicked in the window.
      autoplayPolicy: 'no-user-gesture-required',
      devTools: input.devTools,
      // A sandboxed preload cannot read package.json; it learns the version from argv.
      additionalArguments: [`--deskline-version=${input.version}`],
    },
  };
}

type Preventable = { preventDefault(): void; url?: string };

export interface HardenableWebContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: Preventable, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Keeps the window on app://deskline: no navigating away, no new windows, no <webview>. */
export function hardenWebContents(contents: HardenableWebContents, deps: WindowOpenDeps & { onNavigationRefused?: (url: string) => void }): void {
  const guard = createNavigationGuard(deps.onNavigationRefused);
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(createWindowOpenHandler(deps));
}

export interface HardenableSession {
  setPermissionRequestHandler(handler: typeof decidePermissionRequest): void;
  setPermissionCheckHandler(handler: typeof decidePermissionCheck): void;
  webRequest: { onHeadersReceived(listener: typeof applyCspHeaders): void };
}

/** Grants the microphone to our own page and nothing else to anything; stamps the CSP on every app:// response. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler(decidePermissionRequest);
  session.setPermissionCheckHandler(decidePermissionCheck);
  session.webRequest.onHeadersReceived(applyCspHeaders);
}

export interface PortTarget<P> {
  postMessage(channel: string, message: unknown, transfer: P[]): void;
  reload(): void;
}

/**
 * Gets an engine port into the page at a moment the page can take it. The renderer
 * listens for one `deskline:port` message at start-up and gives up after 10 s
 * (renderer/src/transport/pick.ts), so:
 * - a port that arrives before the page has loaded waits for did-finish-load;
 * - a port for a page that already used one (engine restarted) or stopped waiting
 *   reloads the page, and goes in once it has loaded again;
 * - a page that loads with no port waiting asks the supervisor for one.
 */
export class WindowPortLink<P> implements PortClient<P> {
  private loadedAt: number | null = null;
  private consumed = false;
  private pending: P | null = null;

  constructor(
    private readonly target: PortTarget<P>,
    private readonly requestPort: () => void,
    private readonly now: () => number = Date.now,
    /** Below the renderer's 10 s wait, with room for a slow machine. */
    private readonly pageWaitsMs = 8_000,
  ) {}

  deliver(port: P): void {
    if (this.loadedAt === null) {
      this.pending = port;
      return;
    }
    if (this.consumed || this.now() - this.loadedAt > this.pageWaitsMs) {
      this.pending = port;
      this.loadedAt = null;
      this.target.reload();
      return;
    }
    this.post(port);
  }

  /** did-finish-load. */
  pageLoaded(): void {
    this.loadedAt = this.now();
    this.consumed = false;
    const port = this.pending;
    if (port !== null) this.post(port);
    else this.requestPort();
  }

  /** A main-frame navigation started or the renderer crashed: whatever it held is gone. */
  pageUnloaded(): void {
    this.loadedAt = null;
    this.consumed = false;
  }

  private post(port: P): void {
    this.pending = null;
    this.consumed = true;
    this.target.postMessage(IPC.port, null, [port]);
  }
}
