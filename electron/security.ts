/**
 * The window's security policy as plain functions: what counts as the app's own origin,
 * the Content-Security-Policy, and the navigation / new-window / permission decisions.
 * main.ts attaches these to Electron; tests call them directly.
 *
 * Why a custom scheme (app://deskline/) and not file://: a file:// page has an opaque
 * origin, so "is this our page?" could only be answered by path prefixes, CSP 'self'
 * would cover every local file, and header hooks do not reliably see file:// responses.
 * A standard, secure custom scheme gives the dashboard one real origin (app://deskline)
 * that we parse and compare exactly, that CSP 'self' means precisely our bundle, and
 * whose every response is built by our protocol handler, headers included.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'deskline';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `default-src 'self'` with nothing remote anywhere. `img-src data:` only because the
 * page's favicon is `data:,`; inline scripts and styles stay blocked (React sets styles
 * through the CSSOM, which CSP allows). The dashboard reaches the engine over a
 * MessagePort, so connect-src needs no network origin at all.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Hosts the system browser may be sent to, beyond the clinic's own configured URLs. */
export const BUILT_IN_EXTERNAL_HOSTS: readonly string[] = ['accounts.google.com'];

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True only for app://deskline/… (host case-insensitive: Chromium canonicalises a standard
 * scheme's host to lower case). Compared field by field: WHATWG URL gives non-special
 * schemes an opaque origin ("null"), so `url.origin` cannot be used here.
 */
export function isAppUrl(raw: string): boolean {
  const url = parse(raw);
  return !!url && url.protocol === `${APP_SCHEME}:` && url.hostname.toLowerCase() === APP_HOST && url.port === '' && url.username === '' && url.password === '';
}

/** An IPC sender is trusted only if it is a live frame showing our own page. */
export function isTrustedFrame(frame: { url: string } | null | undefined): boolean {
  return !!frame && typeof frame.url === 'string' && isAppUrl(frame.url);
}

/**
 * May this link open in the system browser? https only, no credentials in the URL, and
 * either a built-in host (Google sign-in) or under one of the clinic's configured URLs
 * (same origin and path prefix). Anything else is refused.
 */
export function externalUrlAllowed(raw: string, clinicUrls: readonly string[] = []): boolean {
  const url = parse(raw);
  if (!url || url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  if (BUILT_IN_EXTERNAL_HOSTS.includes(url.hostname) && url.port === '') return true;
  return clinicUrls.some((entry) => {
    const base = parse(entry);
    if (!base || base.protocol !== 'https:') return false;
    const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    return url.origin === base.origin && (url.pathname === base.pathname || url.pathname.startsWith(prefix));
  });
}

interface Preventable {
  preventDefault(): void;
  url?: string;
}

/**
 * will-navigate / will-redirect / will-frame-navigate: the window may only ever show our
 * own page. Links elsewhere are not followed in-app; the window-open handler decides
 * whether the system browser gets them.
 */
export function createNavigationGuard(onRefused: (url: string) => void = () => undefined): (event: Preventable, url?: string) => void {
  return (event, url) => {
    const target = event.url ?? url ?? '';
    if (isAppUrl(target)) return;
    event.preventDefault();
    onRefused(target);
  };
}

export interface WindowOpenDeps {
  clinicUrls: () => readonly string[];
  openExternal: (url: string) => unknown;
  onRefused?: (url: string) => void;
}

/** setWindowOpenHandler: never a new Electron window; allowed links go to the system browser. */
export function createWindowOpenHandler(deps: WindowOpenDeps): (details: { url: string }) => { action: 'deny' } {
  return ({ url }) => {
    if (externalUrlAllowed(url, deps.clinicUrls())) void Promise.resolve(deps.openExternal(url)).catch(() => deps.onRefused?.(url));
    else deps.onRefused?.(url);
    return { action: 'deny' };
  };
}

/** What Electron says about a permission request (only the fields we decide on). */
export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  /** For 'media': what the page asked for. */
  mediaTypes?: readonly string[];
}

/** What Electron says about a permission check. */
export interface PermissionCheckDetails {
  isMainFrame?: boolean;
  mediaType?: string;
}

/**
 * The one permission the dashboard has: the microphone, for "Talk to the receptionist" (a test
 * call), and only for our own page in the window's main frame. Never the camera, never any
 * other origin; notifications, geolocation, clipboard and the rest stay refused.
 */
export function decidePermissionRequest(_webContents: unknown, permission: string, callback: (granted: boolean) => void, details?: PermissionRequestDetails): void {
  const types = details?.mediaTypes ?? [];
  callback(permission === 'media' && details?.isMainFrame === true && isAppUrl(details.requestingUrl ?? '') && types.length > 0 && types.every((t) => t === 'audio'));
}

/** Checks (Chromium asks before enumerating devices): the same rule as requests. */
export function decidePermissionCheck(_webContents: unknown, permission: string, requestingOrigin: string, details?: PermissionCheckDetails): boolean {
  return permission === 'media' && details?.mediaType === 'audio' && details.isMainFrame !== false && isAppUrl(requestingOrigin);
}

type Headers = Record<string, string | string[]>;

/**
 * session.webRequest.onHeadersReceived: stamps our CSP on every response for the app's
 * own origin (the protocol handler already sets it; this keeps it even if a response
 * came from somewhere else, e.g. a future cache). Other responses pass untouched.
 */
export function applyCspHeaders(
  details: { url: string; responseHeaders?: Headers },
  callback: (response: { responseHeaders?: Headers }) => void,
): void {
  if (!isAppUrl(details.url)) {
    callback({});
    return;
  }
  const headers: Headers = {};
  for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
  }
  headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  callback({ responseHeaders: headers });
}
