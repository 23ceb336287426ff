import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CalendarApi, type SimEvent } from './calendar-api.js';
import { apiError, oauthError } from './google-errors.js';
import { OAuthServer } from './oauth-server.js';
import type { SimRequest, SimResponse } from './sim-types.js';

export type RequestMatch = (req: SimRequest) => boolean;

interface Injection {
  remaining: number;
  match: RequestMatch;
  status: number;
  reason: string | undefined;
  afterHandling: boolean;
}

export interface FailOptions {
  /** Google's reason, e.g. 'userRateLimitExceeded' with 403. */
  reason?: string;
  /** Apply the request first, then answer with the failure: the "it worked but the answer was lost" case. */
  afterHandling?: boolean;
}

const AUTH_PATH = '/o/oauth2/v2/auth';
const TOKEN_PATH = '/token';

/** By default injected failures hit Calendar API calls, not the token refresh that may precede them. */
const isCalendarCall: RequestMatch = (req) => req.path.startsWith('/calendar/');

/**
 * Google Calendar v3 and Google OAuth on one loopback port, speaking the real wire
 * format so the real @googleapis/calendar SDK can be pointed at it through rootUrl
 * and the token / auth URLs.
 */
export class GoogleCalendarSim {
  readonly requests: SimRequest[] = [];
  readonly oauth: OAuthServer;
  private readonly api = new CalendarApi();
  private readonly injections: Injection[] = [];
  private readonly stalls: Array<{ remaining: number; ms: number; match: RequestMatch }> = [];

  private constructor(
    private readonly server: Server,
    clientId: string,
    clientSecret: string | null,
  ) {
    this.oauth = new OAuthServer(clientId, clientSecret);
  }

  static async start(options: { clientId?: string; clientSecret?: string | null } = {}): Promise<GoogleCalendarSim> {
    const server = createServer();
    const sim = new GoogleCalendarSim(server, options.clientId ?? 'deskline-sim.apps.googleusercontent.com', options.clientSecret ?? 'sim-client-secret');
    server.on('request', (req, res) => void sim.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sim;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get rootUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }
  get tokenUrl(): string {
    return `http://127.0.0.1:${this.port}${TOKEN_PATH}`;
  }
  get authUrl(): string {
    return `http://127.0.0.1:${this.port}${AUTH_PATH}`;
  }
  /** Events by calendar id, then event id; deleted events stay, with status 'cancelled', as in Google. */
  get events(): Map<string, Map<string, SimEvent>> {
    return this.api.events;
  }
  get unknownCalendars(): Set<string> {
    return this.api.unknownCalendars;
  }
  get autoConsent(): boolean {
    return this.oauth.autoConsent;
  }
  set autoConsent(value: boolean) {
    this.oauth.autoConsent = value;
  }

  /** Events on a calendar that are not cancelled. */
  liveEvents(calendarId: string): SimEvent[] {
    return [...this.api.calendar(calendarId).values()].filter((e) => e.status !== 'cancelled');
  }

  /** Busy time from outside Deskline (another booking tool, a staff member's own entry). */
  seedBusy(calendarId: string, start: number | Date | string, end: number | Date | string): void {
    const list = this.api.externalBusy.get(calendarId) ?? [];
    list.push({ start: new Date(start).getTime(), end: new Date(end).getTime() });
    this.api.externalBusy.set(calendarId, list);
  }

  /** The next `count` matching requests (Calendar API calls by default) fail with a Google-shaped error. */
  failNext(status: number, count = 1, match: RequestMatch = isCalendarCall, options: FailOptions = {}): void {
    this.injections.push({ remaining: count, match, status, reason: options.reason, afterHandling: options.afterHandling ?? false });
  }

  /** The next `count` matching requests are answered only after `ms`, to exercise client timeouts. */
  stallNext(ms: number, count = 1, match: RequestMatch = isCalendarCall): void {
    this.stalls.push({ remaining: count, ms, match });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.rootUrl);
    const raw = await readBody(req);
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(raw, req.headers['content-type']),
    };
    this.requests.push(request);
    const stall = take(this.stalls, request);
    if (stall) await new Promise((resolve) => setTimeout(resolve, stall.ms));
    const response = this.respond(request);
    request.status = response.status;
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...response.headers };
    if (response.html !== undefined) headers['Content-Type'] = 'text/html; charset=utf-8';
    else if (response.body !== undefined) headers['Content-Type'] = 'application/json; charset=UTF-8';
    res.writeHead(response.status, headers);
    res.end(response.html ?? (response.body === undefined ? undefined : JSON.stringify(response.body)));
  }

  private respond(req: SimRequest): SimResponse {
    const injection = take(this.injections, req);
    if (injection && !injection.afterHandling) return this.injected(injection, req);
    const response = this.route(req);
    return injection ? this.injected(injection, req) : response;
  }

  private route(req: SimRequest): SimResponse {
    if (req.path === AUTH_PATH && req.method === 'GET') return this.oauth.authorize(req.query);
    if (req.path === TOKEN_PATH && req.method === 'POST') return this.oauth.token(req);
    if (!this.api.handles(req.path)) return { status: 404, body: apiError(404) };
    if (!this.oauth.validAccessToken(req.headers.authorization)) {
      return { status: 401, body: apiError(401), headers: { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' } };
    }
    return this.api.handle(req);
  }

  private injected(injection: Injection, req: SimRequest): SimResponse {
    if (req.path === TOKEN_PATH) {
      const error = injection.status === 400 ? 'invalid_grant' : injection.status === 401 ? 'invalid_client' : 'internal_failure';
      return { status: injection.status, body: oauthError(injection.reason ?? error, 'Injected failure') };
    }
    return { status: injection.status, body: apiError(injection.status, injection.reason ? { reason: injection.reason } : {}) };
  }
}

function take<T extends { remaining: number; match: RequestMatch }>(queue: T[], req: SimRequest): T | undefined {
  const index = queue.findIndex((entry) => entry.match(req));
  const entry = queue[index];
  if (!entry) return undefined;
  if (--entry.remaining <= 0) queue.splice(index, 1);
  return entry;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
