import type { StaffConnection, StaffGate } from '../accounts/staff-gate.js';
import type { EngineEvents } from '../events.js';

/** One UI connection, whatever carries it: a loopback WebSocket or an Electron MessagePort. */
export interface ContractPeer {
  send(message: unknown): void;
  /** True when the peer has stopped reading and should be dropped rather than buffered for. */
  isBackedUp?(): boolean;
  drop?(): void;
}

/** How often a connection's session is looked at without any request: an idle screen locks on time. */
const SESSION_SWEEP_MS = 5_000;
/** Events that say what a call is about; a connection that may not watch gets only a count of calls. */
const CALL_EVENTS = new Set(['call.started', 'call.updated', 'call.ended']);

/**
 * Serves the engine/UI contract to one peer: each `{id, handler, args}` request goes through
 * the staff gate and is answered with `{id, reply}`; engine events are pushed as
 * `{event, payload}` only while someone is signed in and the screen is not locked (otherwise
 * just how many calls are in progress). The same code runs behind every transport, so the
 * renderer cannot tell them apart.
 */
export function serveContract(peer: ContractPeer, gate: StaffGate, events: EngineEvents, conn: StaffConnection): { receive(message: unknown): void; close(): void } {
  let shownLocked: boolean | null = null;
  let lastCount = -1;
  conn.notify = (view) => {
    shownLocked = view.locked;
    peer.send({ event: 'session.changed', payload: view });
  };
  const closeHooks: Array<() => void> = [];
  conn.channel = {
    push: (envelope) => {
      if (mayWatch()) peer.send(envelope);
    },
    onClose: (fn) => closeHooks.push(fn),
  };
  let watchUntil = 0;
  let watching = false;
  const mayWatch = () => {
    const now = Date.now();
    // Looked up at most once a second: events come many times a second on a busy line.
    if (now >= watchUntil) {
      watching = gate.mayWatch(conn);
      watchUntil = now + 1000;
    }
    return watching;
  };
  const unsubscribe = events.subscribe((envelope) => {
    if (peer.isBackedUp?.()) {
      unsubscribe();
      peer.drop?.();
      return;
    }
    if (mayWatch()) return peer.send(envelope);
    if (!CALL_EVENTS.has(envelope.event)) return;
    const count = gate.deps.callsInProgress();
    if (count === lastCount) return;
    lastCount = count;
    peer.send({ event: 'calls.in-progress', payload: { count } });
  });
  const sweep = setInterval(() => {
    if (!conn.sessionHash) return;
    try {
      const s = gate.session(conn);
      const locked = s ? s.locked : null;
      if (shownLocked !== null && locked !== shownLocked) conn.notify?.(gate.view(conn));
      watchUntil = 0;
    } catch {
      // The next request or sweep tries again; a failed look-up must not end the connection.
    }
  }, SESSION_SWEEP_MS);
  sweep.unref();
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
      gate
        .call(conn, handler, request.args ?? {})
        .then((reply) => {
          // A sign-in, unlock or lock changes what this connection may be sent from now on.
          if (handler.startsWith('session/')) watchUntil = 0;
          peer.send({ id: request.id ?? null, reply });
        })
        .catch(() => peer.send({ id: request.id ?? null, reply: { ok: false, error: { code: 'INTERNAL', message: 'The engine could not complete that request; see the engine log.' } } }));
    },
    close: () => {
      clearInterval(sweep);
      unsubscribe();
      for (const fn of closeHooks.splice(0)) {
        try {
          fn();
        } catch {
          // Each hook records its own failures; one must not stop the others.
        }
      }
    },
  };
}
