import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TestTls } from '../tls.js';
import type { ConnectInfo } from './session.js';

/**
 * The wss:// endpoint the SDK dials (`<baseURL>/realtime?model=…`), with the
 * gatekeeping the real one does before a session exists: bearer auth, and a
 * switch to refuse service the way an outage would.
 */

export interface Gate {
  apiKey: string;
  accepting(): boolean;
  /** A slow upstream: how long to hold an accepted upgrade before answering it. */
  acceptDelayMs(): number;
}

export interface RealtimeServer {
  server: Server;
  wss: WebSocketServer;
  port: number;
}

export const REALTIME_PATH = '/v1/realtime';

export async function startRealtimeServer(
  tls: TestTls,
  gate: Gate,
  onSession: (ws: WebSocket, info: ConnectInfo) => void,
  /** Plain HTTPS requests (POST /v1/responses); the rest are 404. */
  onRequest?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<RealtimeServer> {
  const server = createServer({ cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) }, (req, res) => {
    if (onRequest?.(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(apiError('not_found', `The realtime sim serves WebSocket upgrades on ${REALTIME_PATH} and POST /v1/responses`));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.pathname !== REALTIME_PATH) return refuse(socket, 404, 'Not Found', apiError('not_found', `No route ${url.pathname}`));
    const authorization = req.headers.authorization ?? '';
    if (authorization !== `Bearer ${gate.apiKey}`) {
      return refuse(socket, 401, 'Unauthorized', apiError('invalid_api_key', 'Incorrect API key provided.'));
    }
    if (!gate.accepting()) {
      return refuse(socket, 503, 'Service Unavailable', apiError('service_unavailable', 'The realtime sim is refusing connections.'));
    }
    const model = url.searchParams.get('model');
    if (!model) return refuse(socket, 400, 'Bad Request', apiError('missing_model', "Missing required parameter: 'model'."));
    const accept = () =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        onSession(ws, { model, authorization, headers: req.headers, url: req.url ?? '' });
      });
    const delay = gate.acceptDelayMs();
    if (delay > 0) setTimeout(accept, delay);
    else accept();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, wss, port: (server.address() as AddressInfo).port };
}

function apiError(code: string, message: string): string {
  return JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } });
}

function refuse(socket: Socket, status: number, reason: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
