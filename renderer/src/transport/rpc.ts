import type { EventEnvelope, HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract';
import type { TransportStatus, WireRequest } from './types';

const DEFAULT_TIMEOUT_MS = 30_000;

export function failure(message: string, code: 'INTERNAL' | 'BAD_REQUEST' | 'NOT_FOUND' | 'UNKNOWN_HANDLER' = 'INTERNAL'): Reply<never> {
  return { ok: false, error: { code, message } };
}

interface Pending {
  resolve: (reply: Reply<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The request/reply bookkeeping shared by the socket and port transports: numbered
 * requests, replies matched by id, a timeout per call, listeners for events and status.
 */
export class RpcCore {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: EventEnvelope) => void>();
  private readonly statusListeners = new Set<(s: TransportStatus) => void>();
  private current: TransportStatus = 'connecting';

  constructor(private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  status(): TransportStatus {
    return this.current;
  }

  setStatus(status: TransportStatus): void {
    if (status === this.current) return;
    this.current = status;
    for (const cb of [...this.statusListeners]) cb(status);
  }

  onStatus(cb: (s: TransportStatus) => void): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  subscribe(listener: (e: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a call and returns the wire request plus the promise of its reply. */
  request<N extends HandlerName>(name: N, args: HandlerArgs<N>): { request: WireRequest; reply: Promise<Reply<HandlerResult<N>>> } {
    const id = this.nextId++;
    const reply = new Promise<Reply<HandlerResult<N>>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(failure('Deskline did not answer in time. Try again.'));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: Reply<unknown>) => void, timer });
    });
    return { request: { id, handler: name, args: args ?? {} }, reply };
  }

  /** Settles a call whose request could not be sent. */
  reject(id: number, message: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(failure(message));
  }

  /** Fails every call still waiting, e.g. when the connection drops. */
  rejectAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.reject(id, message);
  }

  /** Routes one message from the engine: a reply to its caller, an event to every listener. */
  receive(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const msg = data as Record<string, unknown>;
    if ('reply' in msg) {
      const id = typeof msg.id === 'number' ? msg.id : null;
      const p = id === null ? undefined : this.pending.get(id);
      if (!p || id === null) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.resolve(isReply(msg.reply) ? msg.reply : failure('Deskline sent a reply this dashboard does not understand.'));
      return;
    }
    if (typeof msg.event === 'string' && 'payload' in msg) {
      const envelope = msg as unknown as EventEnvelope;
      for (const listener of [...this.listeners]) {
        try {
          listener(envelope);
        } catch (err) {
          console.error('Event listener failed', err);
        }
      }
    }
  }
}

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: unknown };
  if (r.ok === true) return true;
  return r.ok === false && typeof r.error === 'object' && r.error !== null;
}
