import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveCall } from '../call/live-call.js';
import type { LiveCalls } from '../call/live-calls.js';
import type { EngineConfig } from '../config.js';
import type { Logger } from '../log.js';
import { MAX_MEDIA_MESSAGE_BYTES, MediaProtocolError, parseTwilioMessage } from '../twilio/media-protocol.js';
import { isValidTwilioSignature } from '../twilio/rest.js';
import type { TwilioWebhooks, WebhookReply } from '../twilio/webhooks.js';
import { BodyTooLargeError, parseForm, readBody } from './body.js';

const WEBHOOK_BODY_LIMIT = 64 * 1024;
const MEDIA_PATH = '/twilio/media';

type WebhookRoute = (params: Record<string, string>) => WebhookReply;

/**
 * The listener Twilio reaches through the clinic's tunnel: signed webhooks and the
 * media WebSocket. Nothing is parsed, stored or logged before a signature checks out,
 * and a misbehaving socket is closed on its own without touching other calls.
 */
export class PublicServer {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly routes: Record<string, WebhookRoute>;

  constructor(
    private readonly config: EngineConfig,
    webhooks: TwilioWebhooks,
    private readonly liveCalls: LiveCalls,
    private readonly log: Logger,
  ) {
    this.routes = {
      '/twilio/voice': (p) => webhooks.voice(p),
      '/twilio/status': (p) => webhooks.status(p),
      '/twilio/voicemail': (p) => webhooks.voicemail(p),
      '/twilio/dial-status': (p) => webhooks.dialStatus(p),
    };
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MEDIA_MESSAGE_BYTES, perMessageDeflate: false });
    this.server = createServer((req, res) => void this.handleRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.handleUpgrade(req, socket, head));
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
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') return send(res, 400, 'text/plain', 'Missing X-Twilio-Signature');
    const problem = this.notConfigured();
    if (problem) {
      this.log.error(`Refused a Twilio webhook: ${problem}`);
      return send(res, 503, 'text/plain', problem);
    }
    let params: Record<string, string>;
    try {
      params = parseForm(await readBody(req, WEBHOOK_BODY_LIMIT));
    } catch (err) {
      return send(res, err instanceof BodyTooLargeError ? 413 : 400, 'text/plain', 'Unreadable body');
    }
    const url = this.signedUrl(req, 'https');
    if (!url || !isValidTwilioSignature(this.config.twilio.authToken ?? '', signature, url, params)) {
      this.log.warn(`Refused a webhook to ${path} with an invalid signature`);
      return send(res, 403, 'text/plain', 'Invalid signature');
    }
    try {
      const reply = route(params);
      send(res, reply.status, reply.contentType, reply.body);
    } catch (err) {
      this.log.error(`Webhook ${path} failed`, err);
      send(res, 500, 'text/plain', 'Internal error');
    }
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
      return refuse(403, 'Forbidden');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handleMediaSocket(ws));
  }

  private handleMediaSocket(ws: WebSocket): void {
    let live: LiveCall | undefined;
    const link = { send: (message: string) => ws.send(message), close: (code: number, reason: string) => ws.close(code, reason) };
    ws.on('message', (data, isBinary) => {
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
        live = this.liveCalls.attach(link, message.start);
        if (!live) {
          this.log.warn('Closed a media stream that no call is waiting for (unknown call, or a second stream for a live call)');
          ws.close(1008, 'no call is waiting for this stream');
        }
        return;
      }
      live?.handleTwilio(message);
    });
    ws.on('close', () => live?.mediaClosed());
    ws.on('error', (err) => this.log.warn(`Media socket error: ${err.message}`));
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}
