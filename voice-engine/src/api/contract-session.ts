import type { EngineEvents } from '../events.js';
import type { HandlerRegistry } from './registry.js';

/** One UI connection, whatever carries it: a loopback WebSocket or an Electron MessagePort. */
export interface ContractPeer {
  send(message: unknown): void;
  /** True when the peer has stopped reading and should be dropped rather than buffered for. */
  isBackedUp?(): boolean;
  drop?(): void;
}

/**
 * Serves the engine/UI contract to one peer: every engine event is pushed as
 * `{event, payload}`, and each `{id, handler, args}` request is answered with `{id, reply}`.
 * The same code runs behind every transport, so the renderer cannot tell them apart.
 */
export function serveContract(peer: ContractPeer, handlers: HandlerRegistry, events: EngineEvents): { receive(message: unknown): void; close(): void } {
  const unsubscribe = events.subscribe((envelope) => {
    if (peer.isBackedUp?.()) {
      unsubscribe();
      peer.drop?.();
      return;
    }
    peer.send(envelope);
  });
  return {
    receive(message: unknown) {
      let request: { id?: unknown; handler?: unknown; args?: unknown };
      try {
        request = (typeof message === 'string' ? JSON.parse(message) : message) as typeof request;
        if (typeof request !== 'object' || request === null) throw new Error('not an object');
      } catch {
        peer.send({ id: null, reply: { ok: false, error: { code: 'BAD_REQUEST', message: 'Messages must be JSON objects' } } });
        return;
      }
      const handler = typeof request.handler === 'string' ? request.handler : '';
      void handlers.call(handler, request.args ?? {}).then((reply) => peer.send({ id: request.id ?? null, reply }));
    },
    close: () => unsubscribe(),
  };
}
