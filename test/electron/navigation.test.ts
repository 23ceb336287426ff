import { describe, expect, it, vi } from 'vitest';
import { createNavigationGuard, createWindowOpenHandler, externalUrlAllowed, isAppUrl, isTrustedFrame } from '../../electron/security.js';
import { hardenWebContents } from '../../electron/window.js';
import { fakeEvent } from './fakes.js';

describe('isAppUrl: the app\'s own origin, by URL parsing', () => {
  it.each(['app://deskline/index.html', 'app://deskline/', 'app://deskline/index.html#/calls/12', 'APP://DESKLINE/index.html'])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'app://deskline.evil.com/index.html',
    'app://evil/index.html',
    'app://user@deskline/index.html',
    'app://deskline:8080/index.html',
    'https://deskline/index.html',
    'file:///work/main/renderer/dist/index.html',
    'about:blank',
    'javascript:alert(1)',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('trusts only live frames showing our page', () => {
    expect(isTrustedFrame({ url: 'app://deskline/index.html' })).toBe(true);
    expect(isTrustedFrame({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(isTrustedFrame(undefined)).toBe(false);
  });
});

describe('will-navigate guard', () => {
  it('lets the dashboard move within its own origin', () => {
    const guard = createNavigationGuard();
    const event = fakeEvent('app://deskline/index.html');
    guard(event);
    expect(event.defaultPrevented).toBe(false);
  });

  it.each(['https://evil.example/', 'http://127.0.0.1:8081/', 'file:///etc/passwd', 'app://other/index.html', 'data:text/html,hi', 'https://accounts.google.com/'])(
    'refuses %s (even allowed external links open in the browser, never in the window)',
    (url) => {
      const refused = vi.fn();
      const guard = createNavigationGuard(refused);
      const event = fakeEvent(url);
      guard(event);
      expect(event.defaultPrevented).toBe(true);
      expect(refused).toHaveBeenCalledWith(url);
    },
  );

  it('uses the url argument when the event carries none (older event shape)', () => {
    const guard = createNavigationGuard();
    const event = fakeEvent(undefined);
    guard(event, 'https://evil.example/');
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('window.open handler', () => {
  function setup(clinicUrls: string[] = []) {
    const openExternal = vi.fn(() => Promise.resolve());
    const onRefused = vi.fn();
    const handler = createWindowOpenHandler({ clinicUrls: () => clinicUrls, openExternal, onRefused });
    return { handler, openExternal, onRefused };
  }

  it('never opens an Electron window, and sends Google sign-in to the system browser', () => {
    const { handler, openExternal } = setup();
    const url = 'https://accounts.google.com/o/oauth2/v2/auth?client_id=x&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682';
    expect(handler({ url })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith(url);
  });

  it.each([
    'http://accounts.google.com/o/oauth2/v2/auth',
    'https://accounts.google.com.evil.example/',
    'https://evil.example/?next=https://accounts.google.com/',
    'https://user:pw@accounts.google.com/',
    'https://accounts.google.com:8443/',
    'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
    'http://127.0.0.1:9000/oauth/auth',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'app://deskline/index.html',
  ])('refuses %s', (url) => {
    const { handler, openExternal, onRefused } = setup();
    expect(handler({ url })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(onRefused).toHaveBeenCalledWith(url);
  });

  it('allows pages under the clinic\'s configured https URLs only', () => {
    const clinic = ['https://clinic.example.com/booking', 'http://insecure.example.com/', 'not a url'];
    expect(externalUrlAllowed('https://clinic.example.com/booking', clinic)).toBe(true);
    expect(externalUrlAllowed('https://clinic.example.com/booking/today?x=1', clinic)).toBe(true);
    expect(externalUrlAllowed('https://clinic.example.com/bookingsevil', clinic)).toBe(false);
    expect(externalUrlAllowed('https://clinic.example.com/admin', clinic)).toBe(false);
    expect(externalUrlAllowed('https://clinic.example.com.evil.example/booking', clinic)).toBe(false);
    expect(externalUrlAllowed('http://insecure.example.com/', clinic)).toBe(false);
    expect(externalUrlAllowed('https://insecure.example.com/', clinic)).toBe(false);
  });
});

describe('hardenWebContents', () => {
  it('guards navigation, redirects and frames, blocks <webview>, and installs the open handler', () => {
    const listeners = new Map<string, (event: ReturnType<typeof fakeEvent>, url?: string) => void>();
    const contents = {
      on: vi.fn((name: string, listener: (event: ReturnType<typeof fakeEvent>, url?: string) => void) => listeners.set(name, listener)),
      setWindowOpenHandler: vi.fn(),
    };
    const openExternal = vi.fn();
    hardenWebContents(contents, { clinicUrls: () => [], openExternal });
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const event = fakeEvent('https://evil.example/');
      listeners.get(name)!(event);
      expect(event.defaultPrevented, name).toBe(true);
    }
    const webview = fakeEvent();
    listeners.get('will-attach-webview')!(webview);
    expect(webview.defaultPrevented).toBe(true);
    const open = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => { action: string };
    expect(open({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });
});
