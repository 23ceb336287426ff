import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  callListPage,
  callResource,
  errorForStatus,
  messageResource,
  notFound,
  twilioError,
  type CallFacts,
  type SentMessage,
  type TwilioErrorBody,
} from './rest-resources.js';
import { randomSid } from './signing.js';
import { numberResource, type SimPhoneNumbers } from './phone-numbers.js';
import type { SimStudio } from './studio.js';

export interface RestRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Form fields for POST; the query for GET (Twilio's list filters arrive that way). */
  params: Record<string, string>;
  query: Record<string, string>;
  authorized: boolean;
  /** performance.now() when the request arrived. */
  at: number;
  /** Status the simulator answered with; set once the response is decided. */
  status?: number;
}

/** A call the REST API can see and change. */
export interface RestCall extends CallFacts {
  /** Applies a Calls/{sid}.json POST; returns a Twilio error to send instead of the resource. */
  applyRestUpdate(fields: Record<string, string>): TwilioErrorBody | undefined;
}

export interface RestBackend {
  accountSid: string;
  authToken: string;
  findCall(callSid: string): RestCall | undefined;
  allCalls(): RestCall[];
  recordMessage(message: SentMessage): void;
  /** Twilio's refusal of a text (an opted-out recipient), if any. */
  refuseMessage(to: string): TwilioErrorBody | undefined;
  /** Recordings Twilio holds, by sid (deleted ones are gone). */
  recordings: Map<string, Buffer>;
  /** What Twilio knows about each recording: its call, when, how long. */
  recordingInfo: Map<string, { callSid: string; dateCreated: Date; durationS: number }>;
  /** The account's own phone numbers. */
  phoneNumbers: SimPhoneNumbers;
  /** Studio's flows (studio.twilio.com/v2/Flows). */
  studio: SimStudio;
  /** A text was created: its status callbacks follow. */
  messageCreated(message: SentMessage, statusCallback: string | undefined): void;
  /** Called after every request is recorded, for waitForRest. */
  onRequest(req: RestRequest): void;
}

const CALL_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/([^/]+)\.json$/;
const CALLS_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\.json$/;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const NUMBERS_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/;
const NUMBER_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\/(PN[0-9a-fA-F]{32})\.json$/;
const RECORDINGS_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Recordings\.json$/;
const RECORDING_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Recordings\/(RE[0-9a-fA-F]{32})\.(wav|json)$/;

/**
 * The subset of api.twilio.com the engine reaches through the real twilio SDK: call
 * update/fetch/list and SMS create, behind HTTP Basic auth, with injectable failures.
 */
export class RestServer {
  readonly requests: RestRequest[] = [];
  private failures: Array<{ status: number }> = [];
  /** Added before every response, to exercise the engine's handling of a slow Twilio. */
  latencyMs = 0;
  private server: Server | undefined;
  baseUrl = '';

  constructor(private readonly backend: RestBackend) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.send(res, 500, errorForStatus(500));
        else res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  failNext(status: number, count: number): void {
    for (let i = 0; i < count; i++) this.failures.push({ status });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://sim');
    const raw = await readBody(req);
    const query = Object.fromEntries(url.searchParams);
    const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
    const form = isForm || (raw.length > 0 && req.method === 'POST') ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const record: RestRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      params: req.method === 'GET' ? query : form,
      query,
      authorized: this.isAuthorized(req.headers.authorization),
      at,
    };
    this.requests.push(record);
    this.backend.onRequest(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    if (!record.authorized) return this.reply(res, record, 401, twilioError(401, 20003, 'Authenticate'));
    const failure = this.failures.shift();
    if (failure) return this.reply(res, record, failure.status, errorForStatus(failure.status));
    const media = RECORDING_PATH.exec(record.path);
    if (media && media[1] === this.backend.accountSid && media[3] === 'wav' && record.method === 'GET') {
      const wav = this.backend.recordings.get(media[2]!);
      if (!wav) return this.reply(res, record, 404, notFound(record.path));
      record.status = 200;
      res.writeHead(200, { 'Content-Type': 'audio/x-wav', 'Content-Length': wav.length });
      res.end(wav);
      return;
    }
    if (media && media[1] === this.backend.accountSid && media[3] === 'json' && record.method === 'DELETE') {
      if (!this.backend.recordings.delete(media[2]!)) return this.reply(res, record, 404, notFound(record.path));
      record.status = 204;
      res.writeHead(204);
      res.end();
      return;
    }
    const studio = this.backend.studio.route(record.method, record.path, record.params);
    if (studio) return this.reply(res, record, studio[0], studio[1]);
    const [status, body] = this.route(record, url.searchParams);
    this.reply(res, record, status, body);
  }

  private route(r: RestRequest, search: URLSearchParams): [number, unknown] {
    const { accountSid } = this.backend;
    let m: RegExpExecArray | null;
    if ((m = CALL_PATH.exec(r.path)) && m[1] === accountSid) {
      const call = this.backend.findCall(m[2]!);
      if (!call) return [404, notFound(r.path)];
      if (r.method === 'GET') return [200, callResource(call)];
      if (r.method === 'POST') {
        const err = call.applyRestUpdate(r.params);
        return err ? [err.status, err] : [200, callResource(call)];
      }
    } else if ((m = CALLS_PATH.exec(r.path)) && m[1] === accountSid && r.method === 'GET') {
      const matches = this.backend.allCalls().filter(
        (c) =>
          (!r.query.Status || c.status === r.query.Status) &&
          (!r.query.To || c.to === r.query.To) &&
          (!r.query.From || c.from === r.query.From),
      );
      // Twilio lists newest first.
      matches.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
      return [200, callListPage(accountSid, matches, search)];
    } else if ((m = RECORDINGS_PATH.exec(r.path)) && m[1] === accountSid && r.method === 'GET') {
      // Twilio's date filter: DateCreated> (after), a day's precision as YYYY-MM-DD or a full timestamp.
      const after = r.query['DateCreated>'] ? Date.parse(r.query['DateCreated>']) : -Infinity;
      if (Number.isNaN(after)) return [400, twilioError(400, 20001, 'DateCreated> is not a date')];
      const rows = [...this.backend.recordings.keys()].flatMap((sid) => {
        const info = this.backend.recordingInfo.get(sid);
        return info && info.dateCreated.getTime() >= after ? [{ sid, ...info }] : [];
      });
      const uri = `/2010-04-01/Accounts/${accountSid}/Recordings.json?PageSize=50&Page=0`;
      return [200, {
        recordings: rows.map((rec) => ({
          sid: rec.sid, account_sid: accountSid, call_sid: rec.callSid, status: 'completed', duration: String(rec.durationS), channels: 1, source: 'RecordVerb',
          date_created: rec.dateCreated.toUTCString(), date_updated: rec.dateCreated.toUTCString(), api_version: '2010-04-01',
          uri: `/2010-04-01/Accounts/${accountSid}/Recordings/${rec.sid}.json`, media_url: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${rec.sid}`,
        })),
        end: Math.max(0, rows.length - 1), first_page_uri: uri, next_page_uri: null, page: 0, page_size: 50, previous_page_uri: null, start: 0, uri,
      }];
    } else if ((m = NUMBERS_PATH.exec(r.path)) && m[1] === accountSid && r.method === 'GET') {
      return [200, this.backend.phoneNumbers.list(accountSid, r.query)];
    } else if ((m = NUMBER_PATH.exec(r.path)) && m[1] === accountSid) {
      const n = this.backend.phoneNumbers.numbers.get(m[2]!);
      if (!n) return [404, notFound(r.path)];
      if (r.method === 'GET') return [200, numberResource(accountSid, n)];
      if (r.method === 'POST') return this.backend.phoneNumbers.update(accountSid, m[2]!, r.path, r.params);
    } else if ((m = MESSAGES_PATH.exec(r.path)) && m[1] === accountSid && r.method === 'POST') {
      const { To: to, From: from, Body: body = '', MessagingServiceSid: svc } = r.params;
      if (!to) return [400, twilioError(400, 21604, "A 'To' phone number is required.")];
      if (!from && !svc) return [400, twilioError(400, 21603, "A 'From' phone number is required.")];
      if (!r.params.Body && !r.params.MediaUrl) return [400, twilioError(400, 21602, 'Message body is required.')];
      const refused = this.backend.refuseMessage(to);
      if (refused) return [refused.status, refused];
      const message: SentMessage = {
        sid: randomSid('SM'),
        accountSid,
        to,
        from: from ?? '',
        body,
        messagingServiceSid: svc,
        at: r.at,
        createdAt: new Date(),
      };
      this.backend.recordMessage(message);
      this.backend.messageCreated(message, r.params.StatusCallback);
      return [201, messageResource(message)];
    }
    return [404, notFound(r.path)];
  }

  private isAuthorized(header: string | undefined): boolean {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    return decoded === `${this.backend.accountSid}:${this.backend.authToken}`;
  }

  private reply(res: ServerResponse, record: RestRequest, status: number, body: unknown): void {
    record.status = status;
    this.send(res, status, body);
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(json),
      'Twilio-Request-Id': randomSid('RQ'),
      ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="Twilio API"' } : {}),
    });
    res.end(json);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

