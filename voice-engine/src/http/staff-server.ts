import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveContract } from '../api/contract-session.js';
import type { StaffConnection, StaffGate } from '../accounts/staff-gate.js';
import type { ErrorCode, Reply } from '../contract.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { BodyTooLargeError, readBody } from './body.js';
import { SESSION_COOKIE, StaffSessions } from './staff-sessions.js';
import { rendererDir, serveStatic } from './static-files.js';
import { guarded, safeDecode, type InternalErrorSink } from './request-guard.js';

const STATUS_FOR_ERROR: Record<ErrorCode, number> = { NOT_FOUND: 404, BAD_REQUEST: 400, UNKNOWN_HANDLER: 404, INTERNAL: 500, SIGNED_OUT: 401, LOCKED: 423, FORBIDDEN: 403 };
/** A dashboard that stops reading must not make the engine buffer without bound. */
const MAX_EVENT_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface StaffServerOptions {
  port: number;
  token: string;
  /** Where a fresh one-time login link is shown to the person at the PC (never the log file). */
  announceLoginUrl?: (url: string) => void;
  /** Where an error inside a request handler is recorded. */
  onInternalError: InternalErrorSink;
  /** Served at GET /metrics (token required) for IT's monitoring. */
  metrics?: { text(): Promise<string>; contentType: string };
}

/**
 * The staff API on 127.0.0.1 only: health probes, the engine's handlers over HTTP,
 * and a WebSocket that streams engine events and answers handler calls. Everything
 * but the health probes needs the bearer token, and other web origins are refused.
 */
export class StaffServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  readonly sessions: StaffSessions;
  private port = 0;

  constructor(
    private readonly options: StaffServerOptions,
    private readonly gate: StaffGate,
    private readonly events: EngineEvents,
    private readonly log: Logger,
  ) {
    this.sessions = new StaffSessions(options.token);
    this.server = createServer(guarded('staff API', (req, res) => this.handleRequest(req, res), options.onInternalError));
    this.server.on('upgrade', (req, socket, head) => {
      try {
        this.handleUpgrade(req, socket, head);
      } catch (err) {
        options.onInternalError('staff API upgrade', err as Error);
        socket.destroy();
      }
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        const address = this.server.address();
        this.port = typeof address === 'object' && address ? address.port : this.options.port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The one-time link a person opens to use the dashboard in a browser. */
  loginUrl(): string {
    return `http://127.0.0.1:${this.port}/login?code=${this.sessions.currentLoginCode}`;
  }

  private authorized(req: IncomingMessage): boolean {
    return this.sessions.authorized(req);
  }

  /** What the dashboard page may load and connect to: this listener only. */
  private pageHeaders(): Record<string, string> {
    return {
      'Content-Security-Policy': `default-src 'self'; connect-src 'self' ws://127.0.0.1:${this.port} ws://localhost:${this.port}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
  }

  /** Browsers send Origin; only pages served from this listener may use the API. */
  private foreignOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return false;
    return origin !== `http://127.0.0.1:${this.port}` && origin !== `http://localhost:${this.port}`;
  }

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'The request URL cannot be parsed' } });
    }
    if (this.foreignOrigin(req)) return sendJson(res, 403, { ok: false, error: { code: 'BAD_REQUEST', message: 'Requests from other origins are refused' } });
    if (req.method === 'GET' && url.pathname === '/health/live') return sendJson(res, 200, { ok: true, value: { live: true } });
    if (req.method === 'GET' && url.pathname === '/health/ready') {
      const reply = await this.gate.deps.handlers.call('health/ready', {});
      return sendJson(res, reply.ok && reply.value.ready ? 200 : 503, reply);
    }
    if (req.method === 'GET' && url.pathname === '/login') {
      const session = this.sessions.redeem(url.searchParams.get('code') ?? '');
      if (!session) {
        res.writeHead(403, { ...this.pageHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('This login link has already been used or is out of date. Use the newest link Deskline printed.');
        this.log.warn('A dashboard login link was refused (used or out of date)');
        return;
      }
      this.log.info('A browser opened the dashboard with the login link (staff sign in on it)');
      this.options.announceLoginUrl?.(this.loginUrl());
      res.writeHead(302, { Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/metrics' && this.options.metrics) {
      if (!this.authorized(req)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendJson(res, 401, { ok: false, error: { code: 'BAD_REQUEST', message: 'A valid bearer token is required' } });
      }
      const body = await this.options.metrics.text();
      res.writeHead(200, { 'Content-Type': this.options.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    if (req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      if (serveStatic(rendererDir(), url.pathname, res, this.pageHeaders())) return;
      return sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'The dashboard is not built: run npm run build' } });
    }
    // Browsers cannot see why a WebSocket was refused, so the page asks here first.
    if (req.method === 'GET' && url.pathname === '/api/session') {
      res.writeHead(this.authorized(req) ? 204 : 401, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!this.authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(res, 401, { ok: false, error: { code: 'BAD_REQUEST', message: 'A valid bearer token is required' } });
    }
    if (req.method === 'GET' && url.pathname === '/api/calls') {
      const args: Record<string, string> = {};
      for (const key of ['limit', 'beforeId']) {
        const value = url.searchParams.get(key);
        if (value !== null) args[key] = value;
      }
      return this.reply(res, await this.gate.call(this.connection(req), 'calls/list', args));
    }
    const callMatch = /^\/api\/calls\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && callMatch) {
      return this.reply(res, await this.gate.call(this.connection(req), 'calls/get', { id: Number(callMatch[1]) }));
    }
    const handlerMatch = /^\/api\/handlers\/(.+)$/.exec(url.pathname);
    if (req.method === 'POST' && handlerMatch) {
      let args: unknown;
      try {
        const body = await readBody(req, 256 * 1024);
        args = body ? JSON.parse(body) : {};
      } catch (err) {
        const tooLarge = err instanceof BodyTooLargeError;
        if (tooLarge) {
          res.setHeader('Connection', 'close');
          res.on('finish', () => req.destroy());
        }
        return sendJson(res, tooLarge ? 413 : 400, { ok: false, error: { code: 'BAD_REQUEST', message: tooLarge ? 'Request body is too large' : 'Request body must be JSON' } });
      }
      const name = safeDecode(handlerMatch[1] ?? '');
      if (name === null) return sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: 'The handler name has a malformed percent-encoding' } });
      return this.reply(res, await this.gate.call(this.connection(req), name, args));
    }
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  }

  /** Who a request or socket speaks for: the API token, or a browser on this PC (whose person signs in over the socket). */
  private connection(req: IncomingMessage): StaffConnection {
    const api = this.sessions.hasToken(req);
    return { origin: api ? 'API token' : 'browser on this PC', api, sessionHash: null };
  }

  private reply(res: ServerResponse, reply: Reply<unknown>): void {
    sendJson(res, reply.ok ? 200 : STATUS_FOR_ERROR[reply.error.code], reply);
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== '/api/events') return refuse(404, 'Not Found');
    if (this.foreignOrigin(req)) return refuse(403, 'Forbidden');
    if (!this.authorized(req)) return refuse(401, 'Unauthorized');
    const conn = this.connection(req);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handleEventSocket(ws, conn));
  }

  /** Pushes every engine event, and answers `{id, handler, args}` with `{id, reply}`. */
  private handleEventSocket(ws: WebSocket, conn: StaffConnection): void {
    const session = serveContract(
      {
        send: (message) => ws.send(JSON.stringify(message)),
        isBackedUp: () => ws.bufferedAmount > MAX_EVENT_BACKLOG_BYTES,
        drop: () => {
          this.log.warn('Dropping a dashboard connection that stopped reading events');
          ws.terminate();
        },
      },
      this.gate,
      this.events,
      conn,
    );
    ws.on('message', (data) => {
      try {
        session.receive(data.toString());
      } catch (err) {
        this.options.onInternalError('dashboard event socket', err as Error);
      }
    });
    ws.on('close', () => session.close());
    ws.on('error', () => session.close());
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}
