import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../electron/protocol.js';
import { APP_ENTRY_URL, applyCspHeaders, CONTENT_SECURITY_POLICY } from '../../electron/security.js';
import { hardenSession, mainWindowOptions, WindowPortLink } from '../../electron/window.js';

describe('the dashboard window', () => {
  it('has exactly the required webPreferences', () => {
    const options = mainWindowOptions({ preloadPath: '/app/electron/dist/preload.cjs', iconPath: '/app/resources/icon.png', version: '1.2.3', devTools: false });
    expect(options.webPreferences).toEqual({
      preload: '/app/electron/dist/preload.cjs',
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
      autoplayPolicy: 'no-user-gesture-required',
      devTools: false,
      additionalArguments: ['--deskline-version=1.2.3'],
    });
    expect(options.show).toBe(false);
    expect(options.icon).toBe('/app/resources/icon.png');
  });

  it('loads the dashboard from the app:// origin, not file://', () => {
    expect(APP_ENTRY_URL).toBe('app://deskline/index.html');
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } });
  });
});

describe('the Content-Security-Policy', () => {
  const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it('is exactly the strict policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'",
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
  });

  it('allows no remote, inline or eval\'d script anywhere', () => {
    for (const values of Object.values(directives)) {
      for (const v of values) expect(v).not.toMatch(/^(https?:|wss?:|\*|'unsafe-inline'|'unsafe-eval'|'wasm-unsafe-eval'|blob:)/);
    }
  });

  it('is stamped on app:// responses by the session hook, replacing any other CSP', () => {
    const callback = vi.fn();
    applyCspHeaders({ url: 'app://deskline/assets/index.js', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/javascript'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/javascript'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('leaves responses from elsewhere untouched', () => {
    const callback = vi.fn();
    applyCspHeaders({ url: 'https://accounts.google.com/', responseHeaders: { a: ['b'] } }, callback);
    expect(callback).toHaveBeenCalledWith({});
  });
});

describe('hardenSession', () => {
  it('grants the microphone to our own page only; every other permission, origin, frame and the camera are refused', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), webRequest: { onHeadersReceived: vi.fn() } };
    hardenSession(session);
    type Details = { requestingUrl?: string; isMainFrame?: boolean; mediaTypes?: string[] };
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (wc: unknown, p: string, cb: (ok: boolean) => void, d?: Details) => void;
    const asked = (permission: string, details?: Details) => {
      const cb = vi.fn();
      request({}, permission, cb, details);
      return cb.mock.calls[0]![0] as boolean;
    };
    const own = { requestingUrl: 'app://deskline/index.html#/live', isMainFrame: true };
    expect(asked('media', { ...own, mediaTypes: ['audio'] })).toBe(true);
    expect(asked('media', { ...own, mediaTypes: ['video'] })).toBe(false);
    expect(asked('media', { ...own, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(asked('media', { ...own, mediaTypes: [] })).toBe(false);
    expect(asked('media', { ...own, isMainFrame: false, mediaTypes: ['audio'] })).toBe(false);
    for (const url of ['https://evil.example/', 'app://deskline.evil/', 'app://other/index.html', 'file:///C:/x.html', 'http://127.0.0.1:8081/']) {
      expect(asked('media', { requestingUrl: url, isMainFrame: true, mediaTypes: ['audio'] })).toBe(false);
    }
    expect(asked('media')).toBe(false);
    for (const permission of ['notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) expect(asked(permission, { ...own, mediaTypes: ['audio'] })).toBe(false);

    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (wc: unknown, p: string, origin: string, d?: { isMainFrame?: boolean; mediaType?: string }) => boolean;
    expect(check(null, 'media', 'app://deskline', { isMainFrame: true, mediaType: 'audio' })).toBe(true);
    expect(check(null, 'media', 'app://deskline', { isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(check(null, 'media', 'https://evil.example', { isMainFrame: true, mediaType: 'audio' })).toBe(false);
    expect(check(null, 'notifications', 'app://deskline', { isMainFrame: true })).toBe(false);
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalledWith(applyCspHeaders);
  });
});

describe('the app:// protocol handler', () => {
  const root = mkdtempSync(join(tmpdir(), 'deskline-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Deskline</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'deskline-secret.txt'), 'secret');
  const handle = createAppProtocolHandler({ root });
  const get = (url: string, method = 'GET') => handle({ url, method });

  it('serves index.html with the CSP, nosniff and the right type', async () => {
    for (const url of ['app://deskline/', 'app://deskline/index.html']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toContain('<title>Deskline</title>');
    }
  });

  it('serves module scripts as JavaScript', async () => {
    const res = await get('app://deskline/assets/index-abc.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never serves anything outside renderer/dist', async () => {
    for (const url of ['app://deskline/../deskline-secret.txt', 'app://deskline/%2e%2e/deskline-secret.txt', 'app://deskline/assets/..%2f..%2fdeskline-secret.txt', 'app://deskline/%00']) {
      const res = await get(url);
      expect([400, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('secret');
    }
  });

  it('answers 404 for other hosts and missing files, 405 for writes', async () => {
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://deskline/nope.js')).status).toBe(404);
    expect((await get('app://deskline/index.html', 'POST')).status).toBe(405);
    expect((await get('app://deskline/missing')).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('WindowPortLink', () => {
  function setup() {
    let now = 0;
    const target = { postMessage: vi.fn(), reload: vi.fn() };
    const request = vi.fn();
    const link = new WindowPortLink<string>(target, request, () => now, 8_000);
    return { link, target, request, advance: (ms: number) => (now += ms) };
  }

  it('holds a port that arrives before the page has loaded, and posts it on load', () => {
    const { link, target, request } = setup();
    link.deliver('p1');
    expect(target.postMessage).not.toHaveBeenCalled();
    link.pageLoaded();
    expect(target.postMessage).toHaveBeenCalledWith('deskline:port', null, ['p1']);
    expect(request).not.toHaveBeenCalled();
  });

  it('asks for a port when a page loads with none waiting, and posts it straight in', () => {
    const { link, target, request } = setup();
    link.pageLoaded();
    expect(request).toHaveBeenCalledTimes(1);
    link.deliver('p1');
    expect(target.postMessage).toHaveBeenCalledWith('deskline:port', null, ['p1']);
    expect(target.reload).not.toHaveBeenCalled();
  });

  it('reloads a page that already holds a port (engine restarted) and posts the new one after the reload', () => {
    const { link, target } = setup();
    link.pageLoaded();
    link.deliver('p1');
    link.deliver('p2');
    expect(target.reload).toHaveBeenCalledTimes(1);
    expect(target.postMessage).toHaveBeenCalledTimes(1);
    link.pageUnloaded();
    link.pageLoaded();
    expect(target.postMessage).toHaveBeenLastCalledWith('deskline:port', null, ['p2']);
  });

  it('reloads a page that has waited too long (the renderer stops listening after 10 s)', () => {
    const { link, target, advance } = setup();
    link.pageLoaded();
    advance(9_000);
    link.deliver('p1');
    expect(target.reload).toHaveBeenCalledTimes(1);
    expect(target.postMessage).not.toHaveBeenCalled();
  });
});
