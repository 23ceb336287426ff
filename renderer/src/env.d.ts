/// <reference types="vite/client" />

/**
 * What the desktop shell's preload exposes with contextBridge. When present, the
 * dashboard talks to the engine over a MessagePort instead of the loopback WebSocket:
 * either `port` directly, or (since a contextBridge cannot carry a MessagePort) the
 * preload posts it with `window.postMessage('deskline:port', '*', [port])`.
 */
interface DesklineBridge {
  port?: MessagePort;
}

interface Window {
  deskline?: DesklineBridge;
}
