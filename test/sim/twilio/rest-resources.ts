/**
 * JSON bodies shaped like Twilio's 2010-04-01 API responses: the field names and string
 * types the twilio SDK deserializes (dates must be RFC 2822 with a literal "+0000").
 */

export const API_VERSION = '2010-04-01';

export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

/** What the REST layer needs to know about a call to describe it. */
export interface CallFacts {
  callSid: string;
  accountSid: string;
  from: string;
  to: string;
  status: CallStatus;
  startedAt: Date;
  endedAt?: Date;
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function rfc2822(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Error codes Twilio uses for plain HTTP failures, so injected failures look like real ones. */
export function errorForStatus(status: number): TwilioErrorBody {
  const known: Record<number, [number, string]> = {
    400: [21220, 'Invalid parameter'],
    401: [20003, 'Authenticate'],
    403: [20403, 'Forbidden'],
    404: [20404, 'The requested resource was not found'],
    429: [20429, 'Too Many Requests'],
    500: [20500, 'An internal server error has occurred'],
    503: [20503, 'Service Unavailable'],
  };
  const [code, message] = known[status] ?? [20000 + status, `HTTP ${status}`];
  return twilioError(status, code, message);
}

export function notFound(path: string): TwilioErrorBody {
  return twilioError(404, 20404, `The requested resource ${path} was not found`);
}

function accountUri(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}`;
}

export function callResource(c: CallFacts): Record<string, unknown> {
  const uri = `${accountUri(c.accountSid)}/Calls/${c.callSid}`;
  const duration = c.endedAt ? String(Math.floor((c.endedAt.getTime() - c.startedAt.getTime()) / 1000)) : null;
  return {
    sid: c.callSid,
    account_sid: c.accountSid,
    parent_call_sid: null,
    date_created: rfc2822(c.startedAt),
    date_updated: rfc2822(c.endedAt ?? new Date()),
    to: c.to,
    to_formatted: c.to,
    from: c.from,
    from_formatted: c.from,
    phone_number_sid: null,
    status: c.status,
    start_time: rfc2822(c.startedAt),
    end_time: c.endedAt ? rfc2822(c.endedAt) : null,
    duration,
    price: null,
    price_unit: 'USD',
    direction: 'inbound',
    answered_by: null,
    annotation: null,
    api_version: API_VERSION,
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${uri}.json`,
    subresource_uris: {
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
      payments: `${uri}/Payments.json`,
      events: `${uri}/Events.json`,
      siprec: `${uri}/Siprec.json`,
      streams: `${uri}/Streams.json`,
      transcriptions: `${uri}/Transcriptions.json`,
      user_defined_message_subscriptions: `${uri}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${uri}/UserDefinedMessages.json`,
    },
  };
}

/** One page of a list; the SDK's Page reads the records from the single non-meta key. */
export function callListPage(accountSid: string, calls: CallFacts[], query: URLSearchParams): Record<string, unknown> {
  const pageSize = Math.max(1, Math.min(1000, Number(query.get('PageSize') ?? 50) || 50));
  const page = Math.max(0, Number(query.get('Page') ?? 0) || 0);
  const slice = calls.slice(page * pageSize, (page + 1) * pageSize);
  const base = `${accountUri(accountSid)}/Calls.json`;
  const q = (p: number) => {
    const qs = new URLSearchParams(query);
    qs.set('PageSize', String(pageSize));
    qs.set('Page', String(p));
    return `${base}?${qs.toString()}`;
  };
  const hasNext = (page + 1) * pageSize < calls.length;
  return {
    calls: slice.map(callResource),
    end: page * pageSize + Math.max(0, slice.length - 1),
    first_page_uri: q(0),
    next_page_uri: hasNext ? q(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? q(page - 1) : null,
    start: page * pageSize,
    uri: q(page),
  };
}

export interface SentMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  messagingServiceSid?: string;
  at: number;
  createdAt: Date;
}

export function messageResource(m: SentMessage): Record<string, unknown> {
  const uri = `${accountUri(m.accountSid)}/Messages/${m.sid}`;
  return {
    sid: m.sid,
    account_sid: m.accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: rfc2822(m.createdAt),
    date_sent: null,
    date_updated: rfc2822(m.createdAt),
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 160))),
    price: null,
    price_unit: 'USD',
    status: 'queued',
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}
