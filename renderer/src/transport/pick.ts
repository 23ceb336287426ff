import { MessagePortTransport } from './message-port';
import { failure } from './rpc';
import type { EngineTransport } from './types';
import { WebSocketTransport } from './websocket';

/** What the desktop shell's preload posts to the page to hand over its port. */
export const PORT_MESSAGE = 'deskline:port';
const PORT_WAIT_MS = 10_000;

/**
 * Chooses how this page reaches the engine:
 * - the desktop shell's preload exposes `window.deskline.port` → MessagePort;
 * - served over http(s) by the engine → the staff WebSocket on the same origin;
 * - anything else (file:// without the shell) → a closed transport that says so.
 */
export function pickTransport(win: Window = window): EngineTransport {
  const port = win.deskline?.port;
  if (port) return new MessagePortTransport(port);
  const { protocol, host } = win.location;
  if (protocol === 'http:' || protocol === 'https:') {
    const scheme = protocol === 'https:' ? 'wss:' : 'ws:';
    // Browsers hide why an upgrade was refused; this same-origin GET answers 401 without the login cookie.
    return new WebSocketTransport(`${scheme}//${host}/api/events`, { authProbeUrl: `${protocol}//${host}/api/session` });
  }
  return noEngine();
}

/**
 * Like pickTransport, but when the desktop shell is present (`window.deskline`) and its
 * port has not arrived yet, waits for it: a contextBridge cannot carry a MessagePort, so
 * the preload transfers it with `window.postMessage('deskline:port', '*', [port])`.
 */
export function obtainTransport(win: Window = window, waitMs = PORT_WAIT_MS): Promise<EngineTransport> {
  if (!win.deskline || win.deskline.port) return Promise.resolve(pickTransport(win));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      win.removeEventListener('message', onMessage);
      resolve(pickTransport(win));
    }, waitMs);
    function onMessage(e: MessageEvent) {
      if (e.source !== win || e.data !== PORT_MESSAGE || !e.ports[0]) return;
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
      resolve(new MessagePortTransport(e.ports[0]));
    }
    win.addEventListener('message', onMessage);
  });
}

function noEngine(): EngineTransport {
  return {
    call: () => Promise.resolve(failure('Deskline is not connected.')),
    subscribe: () => () => undefined,
    status: () => 'closed',
    onStatus: () => () => undefined,
    closedReason: () => 'no-engine',
  };
}
