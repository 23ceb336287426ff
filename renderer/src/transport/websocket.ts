import type { EventEnvelope, HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract';
import { RpcCore, failure } from './rpc';
import type { ClosedReason, EngineTransport, TransportStatus, WireRequest } from './types';

export interface WebSocketTransportOptions {
  /** Probed after a refused connection: a 401 here means the login cookie is missing. */
  authProbeUrl?: string | null;
  /** Backoff between reconnect attempts: starts here, doubles, capped at maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** For tests. */
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: typeof fetch;
}

/**
 * The engine's loopback staff WebSocket (`/api/events`). Requests go out as
 * `{id, handler, args}` and come back as `{id, reply}`; events arrive as
 * `{event, payload}`. The login cookie rides along with the upgrade. A dropped
 * connection is retried with backoff; a refused one is checked for a missing login.
 */
export class WebSocketTransport implements EngineTransport {
  private readonly rpc: RpcCore;
  private ws: WebSocket | null = null;
  private queue: WireRequest[] = [];
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private reason: ClosedReason = null;
  private readonly opts: Required<Omit<WebSocketTransportOptions, 'WebSocketImpl' | 'fetchImpl' | 'authProbeUrl'>> & {
    authProbeUrl: string | null;
  };
  private readonly WS: typeof WebSocket;
  private readonly fetchImpl: typeof fetch | undefined;

  constructor(
    private readonly url: string,
    options: WebSocketTransportOptions = {},
  ) {
    this.opts = {
      authProbeUrl: options.authProbeUrl ?? null,
      minDelayMs: options.minDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 15_000,
      timeoutMs: options.timeoutMs ?? 30_000,
    };
    this.rpc = new RpcCore(this.opts.timeoutMs);
    this.WS = options.WebSocketImpl ?? WebSocket;
    this.fetchImpl = options.fetchImpl ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    this.connect();
  }

  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<Reply<HandlerResult<N>>> {
    if (this.stopped) return Promise.resolve(failure('The dashboard is disconnected from Deskline.'));
    const { request, reply } = this.rpc.request(name, args);
    if (this.ws && this.ws.readyState === this.WS.OPEN) this.send(request);
    else if (this.reason === 'unauthorized') this.rpc.reject(request.id, 'Not signed in to Deskline.');
    else this.queue.push(request);
    return reply;
  }

  subscribe(listener: (e: EventEnvelope) => void): () => void {
    return this.rpc.subscribe(listener);
  }

  status(): TransportStatus {
    return this.rpc.status();
  }

  onStatus(cb: (status: TransportStatus) => void): () => void {
    return this.rpc.onStatus(cb);
  }

  closedReason(): ClosedReason {
    return this.reason;
  }

  /** Try again now, e.g. after the user opened the login link in another tab. */
  retryNow(): void {
    if (this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.reason = null;
    this.attempt = 0;
    if (!this.ws) this.connect();
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.rpc.rejectAll('The dashboard is disconnected from Deskline.');
    this.queue = [];
    this.rpc.setStatus('closed');
  }

  private send(request: WireRequest): void {
    try {
      this.ws?.send(JSON.stringify(request));
    } catch {
      this.rpc.reject(request.id, 'Could not reach Deskline. Try again.');
    }
  }

  private connect(): void {
    if (this.stopped) return;
    // While the login is missing, stay 'closed' through the quiet re-checks: no flicker.
    if (this.reason !== 'unauthorized') this.rpc.setStatus('connecting');
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new this.WS(this.url);
    } catch {
      this.scheduleRetry(false);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.reason = null;
      this.rpc.setStatus('open');
      const queued = this.queue;
      this.queue = [];
      for (const request of queued) this.send(request);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      try {
        this.rpc.receive(JSON.parse(e.data));
      } catch {
        // Not JSON: nothing this dashboard can use.
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Calls in flight lost their reply with the socket; the caller can retry.
      this.rpc.rejectAll('The connection to Deskline dropped. Try again.');
      this.scheduleRetry(opened);
    };
    ws.onerror = () => {
      // onclose follows and does the work.
    };
  }

  private scheduleRetry(wasOpen: boolean): void {
    if (this.stopped) return;
    if (this.reason !== 'unauthorized') this.rpc.setStatus('connecting');
    const delay = Math.min(this.opts.maxDelayMs, this.opts.minDelayMs * 2 ** this.attempt);
    this.attempt++;
    const retry = () => {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.connect();
      }, delay);
    };
    // Browsers hide a refused upgrade's HTTP status, so ask the same origin over plain HTTP.
    if (!wasOpen && this.opts.authProbeUrl && this.fetchImpl) {
      this.fetchImpl(this.opts.authProbeUrl, { credentials: 'same-origin', cache: 'no-store' }).then(
        (res) => {
          if (this.stopped) return;
          if (res.status === 401 || res.status === 403) {
            this.reason = 'unauthorized';
            this.rpc.rejectAll('Not signed in to Deskline.');
            for (const q of this.queue.splice(0)) this.rpc.reject(q.id, 'Not signed in to Deskline.');
            this.rpc.setStatus('closed');
            // Keep checking slowly: opening the login link in another tab sets the cookie.
            this.retryTimer = setTimeout(() => {
              this.retryTimer = null;
              this.connect();
            }, Math.max(delay, 5_000));
            return;
          }
          this.reason = 'unavailable';
          this.rpc.setStatus('connecting');
          retry();
        },
        () => {
          if (this.stopped) return;
          this.reason = 'unavailable';
          retry();
        },
      );
      return;
    }
    retry();
  }
}
