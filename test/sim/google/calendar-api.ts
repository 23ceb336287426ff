import { createHash } from 'node:crypto';
import type { calendar_v3 } from '@googleapis/calendar';
import { apiError } from './google-errors.js';
import type { SimRequest, SimResponse } from './sim-types.js';

export type SimEvent = calendar_v3.Schema$Event;

/** Google's rule for client-supplied event ids. */
const EVENT_ID = /^[a-v0-9]{5,1024}$/;
const CALENDAR_PATH = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/;

/** Google writes free/busy instants in UTC without milliseconds: 2024-05-01T14:00:00Z. */
function googleInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An EventDateTime as an instant, or a 400 message the way Calendar words it. */
function instantOf(value: calendar_v3.Schema$EventDateTime | undefined, which: 'start' | 'end'): number | string {
  if (!value?.dateTime) return value?.date ? Date.parse(`${value.date}T00:00:00Z`) : `Missing ${which} time.`;
  if (value.timeZone && !validZone(value.timeZone)) return `Invalid time zone definition for ${which} time.`;
  if (!/(Z|[+-]\d\d:\d\d)$/.test(value.dateTime) && !value.timeZone) return `Missing time zone definition for ${which} time.`;
  const ms = Date.parse(value.dateTime);
  return Number.isFinite(ms) ? ms : `Invalid ${which} time.`;
}

/** Calendar v3 events and free/busy, kept in memory per calendar id. */
export class CalendarApi {
  readonly events = new Map<string, Map<string, SimEvent>>();
  readonly externalBusy = new Map<string, Array<{ start: number; end: number }>>();
  /** Calendars free/busy reports as notFound (e.g. not shared with the connected account). */
  readonly unknownCalendars = new Set<string>();
  private counter = 0;

  calendar(calendarId: string): Map<string, SimEvent> {
    let events = this.events.get(calendarId);
    if (!events) this.events.set(calendarId, (events = new Map()));
    return events;
  }

  handles(path: string): boolean {
    return path === '/calendar/v3/freeBusy' || CALENDAR_PATH.test(path);
  }

  handle(req: SimRequest): SimResponse {
    if (req.path === '/calendar/v3/freeBusy') return req.method === 'POST' ? this.freeBusy(req.body) : { status: 405 };
    const [, rawCalendar = '', rawEvent] = CALENDAR_PATH.exec(req.path) ?? [];
    const calendarId = decodeURIComponent(rawCalendar);
    if (rawEvent === undefined) {
      if (req.method === 'POST') return this.insert(calendarId, req.body);
      if (req.method === 'GET') return this.list(calendarId, req.query);
      return { status: 405 };
    }
    const eventId = decodeURIComponent(rawEvent);
    if (req.method === 'GET') return this.get(calendarId, eventId);
    if (req.method === 'PATCH') return this.patch(calendarId, eventId, req.body);
    if (req.method === 'DELETE') return this.remove(calendarId, eventId);
    return { status: 405 };
  }

  private freeBusy(body: unknown): SimResponse {
    const request = (body ?? {}) as calendar_v3.Schema$FreeBusyRequest;
    const from = Date.parse(request.timeMin ?? '');
    const to = Date.parse(request.timeMax ?? '');
    if (!Number.isFinite(from)) return { status: 400, body: apiError(400, { reason: 'required', message: 'Missing timeMin parameter.' }) };
    if (!Number.isFinite(to)) return { status: 400, body: apiError(400, { reason: 'required', message: 'Missing timeMax parameter.' }) };
    if (to < from) return { status: 400, body: apiError(400, { reason: 'timeRangeEmpty', message: 'The specified time range is empty.' }) };
    const calendars: Record<string, calendar_v3.Schema$FreeBusyCalendar> = {};
    for (const { id } of request.items ?? []) {
      if (!id) continue;
      if (this.unknownCalendars.has(id)) {
        calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
        continue;
      }
      calendars[id] = { busy: this.busyIn(id, from, to).map((b) => ({ start: googleInstant(b.start), end: googleInstant(b.end) })) };
    }
    return {
      status: 200,
      body: { kind: 'calendar#freeBusy', timeMin: new Date(from).toISOString(), timeMax: new Date(to).toISOString(), calendars },
    };
  }

  /** Opaque, live events plus seeded busy time, clipped to the window and merged, as Google reports them. */
  private busyIn(calendarId: string, from: number, to: number): Array<{ start: number; end: number }> {
    const blocks = [...(this.externalBusy.get(calendarId) ?? [])];
    for (const event of this.calendar(calendarId).values()) {
      if (event.status === 'cancelled' || event.transparency === 'transparent') continue;
      const start = instantOf(event.start ?? undefined, 'start');
      const end = instantOf(event.end ?? undefined, 'end');
      if (typeof start === 'number' && typeof end === 'number') blocks.push({ start, end });
    }
    const clipped = blocks
      .map((b) => ({ start: Math.max(b.start, from), end: Math.min(b.end, to) }))
      .filter((b) => b.end > b.start)
      .sort((a, b) => a.start - b.start);
    const merged: Array<{ start: number; end: number }> = [];
    for (const block of clipped) {
      const last = merged[merged.length - 1];
      if (last && block.start <= last.end) last.end = Math.max(last.end, block.end);
      else merged.push({ ...block });
    }
    return merged;
  }

  private insert(calendarId: string, body: unknown): SimResponse {
    const input = (body ?? {}) as SimEvent;
    const events = this.calendar(calendarId);
    const id = input.id ?? `sim${(++this.counter).toString(32)}${createHash('sha1').update(String(Math.random())).digest('hex').slice(0, 10)}`;
    if (!EVENT_ID.test(id)) return { status: 400, body: apiError(400, { reason: 'invalid', message: 'Invalid resource id value.' }) };
    // Google keeps a deleted event's id taken, so cancelled events still collide.
    if (events.has(id)) return { status: 409, body: apiError(409) };
    const problem = this.timesProblem(input);
    if (problem) return problem;
    const now = new Date().toISOString();
    const event: SimEvent = {
      kind: 'calendar#event',
      etag: `"${Date.now()}${this.counter}"`,
      id,
      status: 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendarId}`).toString('base64url')}`,
      created: now,
      updated: now,
      creator: { email: 'clinic@example.com' },
      organizer: { email: calendarId, self: true },
      iCalUID: `${id}@google.com`,
      sequence: 0,
      reminders: { useDefault: true },
      eventType: 'default',
      ...input,
    };
    event.id = id;
    events.set(id, event);
    return { status: 200, body: event };
  }

  private get(calendarId: string, eventId: string): SimResponse {
    const event = this.calendar(calendarId).get(eventId);
    return event ? { status: 200, body: event } : { status: 404, body: apiError(404) };
  }

  private list(calendarId: string, query: URLSearchParams): SimResponse {
    const showDeleted = query.get('showDeleted') === 'true';
    const items = [...this.calendar(calendarId).values()].filter((e) => showDeleted || e.status !== 'cancelled');
    return {
      status: 200,
      body: { kind: 'calendar#events', summary: calendarId, updated: new Date().toISOString(), timeZone: 'UTC', accessRole: 'owner', items },
    };
  }

  private patch(calendarId: string, eventId: string, body: unknown): SimResponse {
    const event = this.calendar(calendarId).get(eventId);
    if (!event) return { status: 404, body: apiError(404) };
    const changes = { ...((body ?? {}) as SimEvent) };
    delete changes.id;
    const next: SimEvent = { ...event, ...changes, sequence: (event.sequence ?? 0) + 1, updated: new Date().toISOString() };
    const problem = this.timesProblem(next);
    if (problem) return problem;
    this.calendar(calendarId).set(eventId, next);
    return { status: 200, body: next };
  }

  private remove(calendarId: string, eventId: string): SimResponse {
    const event = this.calendar(calendarId).get(eventId);
    if (!event) return { status: 404, body: apiError(404) };
    if (event.status === 'cancelled') return { status: 410, body: apiError(410) };
    this.calendar(calendarId).set(eventId, { ...event, status: 'cancelled', updated: new Date().toISOString() });
    return { status: 204 };
  }

  private timesProblem(event: SimEvent): SimResponse | null {
    const start = instantOf(event.start ?? undefined, 'start');
    const end = instantOf(event.end ?? undefined, 'end');
    if (typeof start === 'string') return { status: 400, body: apiError(400, { reason: 'required', message: start }) };
    if (typeof end === 'string') return { status: 400, body: apiError(400, { reason: 'required', message: end }) };
    if (end < start) return { status: 400, body: apiError(400, { reason: 'timeRangeEmpty', message: 'The specified time range is empty.' }) };
    return null;
  }
}
