import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveCall, MediaLink } from '../call/live-call.js';
import type { LiveCalls } from '../call/live-calls.js';
import type { EngineConfig } from '../config.js';
import type { Logger } from '../log.js';
import { MAX_MEDIA_MESSAGE_BYTES, MediaProtocolError, parseTwilioMessage } from '../twilio/media-protocol.js';
import { isValidTwilioSignature } from '../twilio/rest.js';
import type { WebhookReply } from '../twilio/webhooks.js';
import { BodyTooLargeError, parseForm, readBody } from './body.js';
import { guarded, type InternalErrorSink } from './request-guard.js';
import { SignatureThrottle } from './signature-throttle.js';
import { AUDIO_SAMPLE_EVERY, type EngineMetrics } from '../metrics/engine-metrics.js';

const WEBHOOK_BODY_LIMIT = 64 * 1024;
const MEDIA_PATH = '/twilio/media';
/** Well above the 200 concurrent calls the bench carries; past it a stream is refused, not queued. */
export const MAX_MEDIA_SOCKETS = 300;
/** Twilio sends `connected` and `start` at once; a socket that has not started by then is not Twilio. */
const MEDIA_START_TIMEOUT_MS = 5000;

/** `query`: the URL's own parameters (signed with it), e.g. a transfer's `?call=`. */
export type WebhookRoute = (params: Record<string, string>, query: URLSearchParams) => WebhookReply;
/** Path → handler, for the signed POSTs Twilio makes (each feature lists its own). */
export type WebhookRoutes = Record<string, WebhookRoute>;

/**
 * The listener Twilio reaches through the clinic's tunnel: signed webhooks and the
 * media WebSocket. Nothing is parsed, stored or logged before a signature checks out,
 * and a misbehaving socket is closed on its own without touching other calls.
 */
export class PublicServer {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly routes: Record<string, WebhookRoute>;
  private readonly throttle = new SignatureThrottle();
  private mediaSockets = 0;
  private mediaMessages = 0;

  constructor(
    private readonly config: EngineConfig,
    routes: WebhookRoutes,
    private readonly liveCalls: LiveCalls,
    private readonly log: Logger,
    private readonly onInternalError: InternalErrorSink,
    private readonly metrics?: EngineMetrics,
  ) {
    this.routes = routes;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MEDIA_MESSAGE_BYTES, perMessageDeflate: false });
    this.server = createServer(guarded('Twilio listener', (req, res) => this.handleRequest(req, res), onInternalError));
    this.server.on('upgrade', (req, socket, head) => {
      try {
        this.handleUpgrade(req, socket, head);
      } catch (err) {
        onInternalError('media stream upgrade', err as Error);
        socket.destroy();
      }
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.publicPort, this.config.publicHost, () => {
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : this.config.publicPort);
      });
    });
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The URL Twilio was given for this request; never derived from the Host header. */
  private signedUrl(req: IncomingMessage, scheme: 'https' | 'wss'): string | null {
    const base = this.config.publicBaseUrl;
    return base ? `${scheme}://${base.host}${req.url ?? '/'}` : null;
  }

  private notConfigured(): string | null {
    if (!this.config.twilio.authToken) return 'Set TWILIO_AUTH_TOKEN so Twilio webhooks can be verified.';
    if (!this.config.publicBaseUrl) return 'Set PUBLIC_BASE_URL to the https URL Twilio reaches.';
    return null;
  }

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Lets staff (and the status bar) check that the tunnel reaches this listener.
    if (path === '/twilio/health' && req.method === 'GET') return send(res, 200, 'text/plain', 'Deskline is reachable');
    const route = this.routes[path];
    if (!route) return send(res, 404, 'text/plain', 'Not found');
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'Use POST');
    const source = req.socket.remoteAddress ?? 'unknown';
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') return this.refuseUnsigned(res, source, 400, 'Missing X-Twilio-Signature');
    const problem = this.notConfigured();
    if (problem) {
      this.log.error(`Refused a Twilio webhook: ${problem}`);
      return send(res, 503, 'text/plain', problem);
    }
    let params: Record<string, string>;
    try {
      params = parseForm(await readBody(req, WEBHOOK_BODY_LIMIT));
    } catch (err) {
      // The unread rest of an oversized body is not wanted: answer, then close the connection.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
      return send(res, err instanceof BodyTooLargeError ? 413 : 400, 'text/plain', err instanceof BodyTooLargeError ? 'Request body is too large' : 'Unreadable body');
    }
    const url = this.signedUrl(req, 'https');
    if (!url || !isValidTwilioSignature(this.config.twilio.authToken ?? '', signature, url, params)) {
      this.log.warn(`Refused a webhook to ${path} with an invalid signature`);
      return this.refuseUnsigned(res, source, 403, 'Invalid signature');
    }
    try {
      const reply = route(params, new URLSearchParams((req.url ?? '').split('?')[1] ?? ''));
      send(res, reply.status, reply.contentType, reply.body);
    } catch (err) {
      this.log.error(`Webhook ${path} failed`, err);
      send(res, 500, 'text/plain', 'Internal error');
    }
  }

  /** 400/403 for a request that is not Twilio's; 429 once its source has sent too many. */
  private refuseUnsigned(res: ServerResponse, source: string, status: 400 | 403, reason: string): void {
    const now = Date.now();
    const wait = this.throttle.retryAfterS(source, now);
    this.throttle.recordFailure(source, now);
    if (wait > 0) {
      res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': String(wait), 'Cache-Control': 'no-store' });
      res.end(`Too many unsigned or mis-signed requests from this address; try again in ${wait} s.`);
      return;
    }
    send(res, status, 'text/plain', reason);
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== MEDIA_PATH) return refuse(404, 'Not Found');
    const signature = req.headers['x-twilio-signature'];
    const url = this.signedUrl(req, 'wss');
    const token = this.config.twilio.authToken;
    if (typeof signature !== 'string' || !url || !token || !isValidTwilioSignature(token, signature, url, {})) {
      this.log.warn('Refused a media stream with a missing or invalid signature');
      const source = req.socket.remoteAddress ?? 'unknown';
      const throttled = this.throttle.retryAfterS(source, Date.now()) > 0;
      this.throttle.recordFailure(source, Date.now());
      return throttled ? refuse(429, 'Too Many Requests') : refuse(403, 'Forbidden');
    }
    if (this.mediaSockets >= MAX_MEDIA_SOCKETS) {
      this.log.warn(`Refused a media stream: ${MAX_MEDIA_SOCKETS} are already open`);
      return refuse(503, 'Service Unavailable');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handleMediaSocket(ws, socket));
  }

  /** `socket`: the connection under `ws`, corked so that messages sent together leave in one write. */
  private handleMediaSocket(ws: WebSocket, socket: Duplex): void {
    let live: LiveCall | undefined;
    this.mediaSockets++;
    const startTimer = setTimeout(() => {
      if (!live) ws.close(1008, 'no start message');
    }, MEDIA_START_TIMEOUT_MS);
    startTimer.unref();
    const link = {
      send: (message: string) => ws.send(message),
      close: (code: number, reason: string) => ws.close(code, reason),
      together: (sends: () => void) => {
        socket.cork();
        try {
          sends();
        } finally {
          socket.uncork();
        }
      },
    };
    ws.on('message', (data, isBinary) => {
      const timed = this.metrics && ++this.mediaMessages % AUDIO_SAMPLE_EVERY === 0 ? performance.now() : 0;
      try {
        this.onMediaMessage(ws, link, data as Buffer, isBinary, live, (attached) => (live = attached));
        if (timed) this.metrics!.audioForward.observe({ direction: 'caller_to_openai' }, (performance.now() - timed) / 1000);
      } catch (err) {
        // One call's bug must not become everyone's: record it, and this caller gets the fallback after </Connect>.
        this.onInternalError('media stream message', err as Error);
        ws.close(1011, 'internal error');
      }
    });
    ws.on('close', () => {
      this.mediaSockets--;
      clearTimeout(startTimer);
      try {
        live?.mediaClosed();
      } catch (err) {
        this.onInternalError('media stream close', err as Error);
      }
    });
    ws.on('error', (err) => this.log.warn(`Media socket error: ${err.message}`));
  }

  private onMediaMessage(
    ws: WebSocket,
    link: MediaLink,
    data: Buffer,
    isBinary: boolean,
    live: LiveCall | undefined,
    attached: (live: LiveCall) => void,
  ): void {
    if (isBinary) return ws.close(1003, 'binary frames are not part of the protocol');
    let message;
    try {
      message = parseTwilioMessage(data.toString());
    } catch (err) {
      const reason = err instanceof MediaProtocolError ? err.message : 'unreadable message';
      this.log.warn(`Closing a media stream after a malformed message: ${reason}`);
      return ws.close(1007, 'malformed message');
    }
    if (message.event === 'start') {
      if (live) return;
      if (this.config.twilio.accountSid && message.start.accountSid !== this.config.twilio.accountSid) {
        return ws.close(1008, 'stream belongs to another account');
      }
      const joined = this.liveCalls.attach(link, message.start);
      if (joined) return attached(joined);
      this.log.warn('Closed a media stream that no call is waiting for (unknown call, or a second stream for a live call)');
      ws.close(1008, 'no call is waiting for this stream');
      return;
    }
    live?.handleTwilio(message);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}
