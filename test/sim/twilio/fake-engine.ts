import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ReceivedWebhook {
  path: string;
  params: Record<string, string>;
  signature: string | undefined;
  signatureValid: boolean;
}

/** The engine's side of one media socket, as the simulator's own tests observe it. */
export interface EngineSocket {
  ws: WebSocket;
  messages: Array<{ at: number; msg: any }>;
  closed: Promise<{ code: number; at: number }>;
  send(msg: unknown): void;
  waitFor(pred: (messages: Array<{ at: number; msg: any }>) => boolean, timeoutMs?: number): Promise<void>;
}

/**
 * A few dozen lines playing the engine's part so the simulator can be tested on its own:
 * it checks signatures the way the engine must (over the public URL) and answers the voice
 * webhook with <Connect><Stream>. It is a test fixture, not a model of the engine.
 */
export class FakeEngine {
  readonly webhooks: ReceivedWebhook[] = [];
  readonly sockets: EngineSocket[] = [];
  /** TwiML for /twilio/voice; the default connects a stream with an &-bearing URL and a parameter. */
  voiceTwiml =
    '<?xml version="1.0" encoding="UTF-8"?><Response><Connect>' +
    '<Stream url="wss://clinic.deskline.test/twilio/media?clinic=c1&amp;v=2">' +
    '<Parameter name="clinicId" value="c1"/><Parameter name="greeting" value="hi &amp; welcome"/>' +
    '</Stream></Connect></Response>';
  transferTwiml = '<Response><Dial>+15550001111</Dial></Response>';
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  private constructor(
    private readonly server: Server,
    private readonly authToken: string,
    private readonly publicBaseUrl: string,
  ) {}

  static async start(authToken: string, publicBaseUrl: string): Promise<FakeEngine> {
    const server = createServer();
    const engine = new FakeEngine(server, authToken, publicBaseUrl);
    server.on('request', (req, res) => {
      void readForm(req).then((params) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const signature = req.headers['x-twilio-signature'] as string | undefined;
        const signatureValid = twilio.validateRequest(authToken, signature ?? '', publicBaseUrl + (req.url ?? ''), params);
        engine.webhooks.push({ path, params, signature, signatureValid });
        if (!signatureValid) return res.writeHead(403).end();
        const twiml = path === '/twilio/voice' ? engine.voiceTwiml : path === '/twilio/transfer' ? engine.transferTwiml : '';
        res.writeHead(200, { 'Content-Type': twiml ? 'text/xml' : 'text/plain' }).end(twiml);
      });
    });
    server.on('upgrade', (req, socket, head) => {
      const publicUrl = publicBaseUrl.replace(/^http/, 'ws') + (req.url ?? '');
      const sig = req.headers['x-twilio-signature'] as string | undefined;
      if (!twilio.validateRequest(authToken, sig ?? '', publicUrl, {})) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      engine.wss.handleUpgrade(req, socket, head, (ws) => engine.adopt(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return engine;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The engine side of the stream whose `start` names this call, once it has arrived. */
  async socketFor(callSid: string, timeoutMs = 3000): Promise<EngineSocket> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.sockets.find((s) => s.messages.some((m) => m.msg.event === 'start' && m.msg.start.callSid === callSid));
      if (found) return found;
      if (performance.now() > deadline) throw new Error(`no media stream for ${callSid} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private adopt(ws: WebSocket): void {
    const messages: EngineSocket['messages'] = [];
    const checks = new Set<() => void>();
    const sock: EngineSocket = {
      ws,
      messages,
      closed: new Promise((resolve) => ws.on('close', (code) => resolve({ code, at: performance.now() }))),
      send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
      waitFor: (pred, timeoutMs = 3000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            if (!pred(messages)) return;
            checks.delete(check);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            checks.delete(check);
            reject(new Error(`engine socket: condition not met in ${timeoutMs} ms (${messages.length} messages)`));
          }, timeoutMs);
          checks.add(check);
          check();
        }),
    };
    ws.on('message', (data) => {
      messages.push({ at: performance.now(), msg: JSON.parse(String(data)) });
      for (const c of [...checks]) c();
    });
    this.sockets.push(sock);
  }
}

function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))));
    req.on('error', reject);
  });
}
