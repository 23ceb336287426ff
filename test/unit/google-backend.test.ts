import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalendarError, type AppointmentEvent } from '../../voice-engine/src/calendar/backend.js';
import { GoogleCalendarBackend } from '../../voice-engine/src/calendar/google/google-backend.js';
import type { GoogleCalendarConfig } from '../../voice-engine/src/calendar/google/google-config.js';
import { eventIdFor } from '../../voice-engine/src/calendar/google/google-event.js';
import type { Provider } from '../../voice-engine/src/scheduling/types.js';
import { GoogleCalendarSim, type SimRequest } from '../sim/google/index.js';

const ZONE = 'America/New_York';
const smith: Provider = { id: 1, name: 'Dr. Smith', hours: {}, calendarId: 'smith@clinic.example' };
const jones: Provider = { id: 2, name: 'Dr. Jones', hours: {}, calendarId: 'jones@clinic.example' };
const lee: Provider = { id: 3, name: 'Dr. Lee', hours: {}, calendarId: null };

// Monday 10 March 2025, the day after the US switch to daylight time: New York is UTC-4.
const NINE_AM = Date.parse('2025-03-10T13:00:00Z');
const MIN = 60_000;

function appointment(overrides: Partial<AppointmentEvent> = {}): AppointmentEvent {
  return {
    appointmentId: 42,
    provider: smith,
    serviceName: 'Cleaning',
    patientName: 'Jane Doe',
    patientPhone: '+15551234567',
    start: NINE_AM,
    end: NINE_AM + 45 * MIN,
    timezone: ZONE,
    ...overrides,
  };
}

function configFor(sim: GoogleCalendarSim): GoogleCalendarConfig {
  return { clientId: sim.oauth.clientId, clientSecret: sim.oauth.clientSecret, apiRootUrl: sim.rootUrl, tokenUrl: sim.tokenUrl, authUrl: sim.authUrl };
}

const isInsert = (req: SimRequest) => req.method === 'POST' && req.path.endsWith('/events');
const isTokenCall = (req: SimRequest) => req.path === '/token';

async function failure(promise: Promise<unknown>): Promise<CalendarError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CalendarError);
  return error as CalendarError;
}

let sim: GoogleCalendarSim;
let backend: GoogleCalendarBackend;

beforeEach(async () => {
  sim = await GoogleCalendarSim.start();
  backend = new GoogleCalendarBackend({ config: configFor(sim), refreshToken: sim.oauth.issueRefreshToken() });
});
afterEach(async () => {
  await sim.close();
});

describe('GoogleCalendarBackend busy time', () => {
  it('asks free/busy once for all linked calendars and credits each provider', async () => {
    sim.seedBusy(smith.calendarId!, NINE_AM, NINE_AM + 30 * MIN);
    sim.seedBusy(smith.calendarId!, NINE_AM + 20 * MIN, NINE_AM + 60 * MIN); // overlaps: Google merges
    sim.seedBusy(jones.calendarId!, NINE_AM - 60 * MIN, NINE_AM + 15 * MIN); // starts before the window: clipped
    const busy = await backend.busy([smith, jones, lee], NINE_AM, NINE_AM + 8 * 60 * MIN);
    expect(busy.get(smith.id)).toEqual([{ start: NINE_AM, end: NINE_AM + 60 * MIN }]);
    expect(busy.get(jones.id)).toEqual([{ start: NINE_AM, end: NINE_AM + 15 * MIN }]);
    expect(busy.has(lee.id)).toBe(false);
    const lookups = sim.requests.filter((r) => r.path === '/calendar/v3/freeBusy');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.body).toMatchObject({
      timeMin: '2025-03-10T13:00:00.000Z',
      items: [{ id: smith.calendarId }, { id: jones.calendarId }],
    });
  });

  it('sees Deskline’s own events, credits providers sharing a calendar, and skips the call with no calendars', async () => {
    await backend.createEvent(appointment());
    const partner: Provider = { ...jones, id: 9, calendarId: smith.calendarId };
    const busy = await backend.busy([smith, partner], NINE_AM - 60 * MIN, NINE_AM + 60 * MIN);
    expect(busy.get(smith.id)).toEqual([{ start: NINE_AM, end: NINE_AM + 45 * MIN }]);
    expect(busy.get(partner.id)).toEqual(busy.get(smith.id));
    expect((sim.requests.at(-1)!.body as { items: unknown[] }).items).toHaveLength(1);

    const before = sim.requests.length;
    expect((await backend.busy([lee], NINE_AM, NINE_AM + MIN)).size).toBe(0);
    expect(sim.requests.length).toBe(before);
  });

  it('treats a calendar Google cannot read as an error, never as free', async () => {
    sim.unknownCalendars.add(jones.calendarId!);
    const error = await failure(backend.busy([smith, jones], NINE_AM, NINE_AM + 60 * MIN));
    expect(error.kind).toBe('not_found');
    expect(error.message).toContain(jones.calendarId);
  });
});

describe('GoogleCalendarBackend events', () => {
  it('inserts one event with the clinic’s wall-clock times, timezone and patient details', async () => {
    const id = await backend.createEvent(appointment());
    expect(id).toBe(eventIdFor(42));
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
    const events = sim.liveEvents(smith.calendarId!);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.id).toBe(id);
    expect(event.summary).toBe('Cleaning — Jane D.');
    expect(event.start).toEqual({ dateTime: '2025-03-10T09:00:00-04:00', timeZone: ZONE });
    expect(event.end).toEqual({ dateTime: '2025-03-10T09:45:00-04:00', timeZone: ZONE });
    for (const detail of ['Cleaning', 'Dr. Smith', 'Jane Doe', '+15551234567']) expect(event.description).toContain(detail);
    expect(event.extendedProperties?.private).toMatchObject({ desklineAppointmentId: '42' });
    // The client-supplied id went over the wire, so Google itself guards against duplicates.
    expect(sim.requests.find(isInsert)!.body).toMatchObject({ id });
    expect(sim.requests.find(isInsert)!.query.get('sendUpdates')).toBe('none');
  });

  it('a provider without a calendar keeps no event', async () => {
    expect(await backend.createEvent(appointment({ provider: lee }))).toBeNull();
    await backend.moveEvent('whatever', appointment({ provider: lee }));
    await backend.deleteEvent('whatever', appointment({ provider: lee }));
    expect(sim.requests.some((r) => r.path.startsWith('/calendar/'))).toBe(false);
  });

  it('an insert whose answer was lost is retried into the same single event', async () => {
    sim.failNext(503, 1, isInsert, { afterHandling: true });
    const id = await backend.createEvent(appointment());
    expect(id).toBe(eventIdFor(42));
    expect(sim.events.get(smith.calendarId!)!.size).toBe(1);
    expect(sim.requests.filter(isInsert).map((r) => r.status)).toEqual([503, 409]);
  });

  it('creating the same appointment twice returns the same id and keeps one event', async () => {
    const first = await backend.createEvent(appointment());
    const second = await backend.createEvent(appointment());
    expect(second).toBe(first);
    expect(sim.events.get(smith.calendarId!)!.size).toBe(1);
    expect(sim.liveEvents(smith.calendarId!)).toHaveLength(1);
  });

  it('event ids differ per installation namespace and stay within Google’s alphabet', () => {
    expect(eventIdFor(42, 'install-a')).not.toBe(eventIdFor(42, 'install-b'));
    expect(eventIdFor(42, 'install-a')).toBe(eventIdFor(42, 'install-a'));
    expect(eventIdFor(0)).toMatch(/^[a-v0-9]{5,}$/);
  });

  it('moves the same event instead of creating another', async () => {
    const id = (await backend.createEvent(appointment()))!;
    const later = NINE_AM + 3 * 60 * MIN;
    await backend.moveEvent(id, appointment({ start: later, end: later + 45 * MIN }));
    const events = sim.liveEvents(smith.calendarId!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id, start: { dateTime: '2025-03-10T12:00:00-04:00', timeZone: ZONE }, sequence: 1 });
    expect(sim.requests.filter(isInsert)).toHaveLength(1);
  });

  it('deletes the event, and deleting again or deleting an unknown event is fine', async () => {
    const id = (await backend.createEvent(appointment()))!;
    await backend.deleteEvent(id, appointment());
    expect(sim.liveEvents(smith.calendarId!)).toHaveLength(0);
    await backend.deleteEvent(id, appointment());
    await backend.deleteEvent('deskline999v0000', appointment());
    const deletes = sim.requests.filter((r) => r.method === 'DELETE').map((r) => r.status);
    expect(deletes).toEqual([204, 410, 404]);
  });

  it('booking a cancelled appointment again brings its event back', async () => {
    const id = (await backend.createEvent(appointment()))!;
    await backend.deleteEvent(id, appointment());
    expect(await backend.createEvent(appointment())).toBe(id);
    expect(sim.liveEvents(smith.calendarId!)).toHaveLength(1);
  });
});

describe('GoogleCalendarBackend failures', () => {
  it('retries a single 503 once and succeeds', async () => {
    sim.failNext(503);
    await expect(backend.busy([smith], NINE_AM, NINE_AM + MIN)).resolves.toBeInstanceOf(Map);
    expect(sim.requests.filter((r) => r.path === '/calendar/v3/freeBusy').map((r) => r.status)).toEqual([503, 200]);
  });

  // A 403 also makes google-auth-library refresh the access token and repeat the call once
  // (forceRefreshOnFailure), so it reaches Google twice per attempt.
  it.each([
    [503, undefined, 'unavailable', 2],
    [429, undefined, 'rate_limited', 2],
    [403, 'userRateLimitExceeded', 'rate_limited', 4],
  ] as const)('a lasting %i %s is %s after one retry', async (status, reason, kind, inserts) => {
    sim.failNext(status, 5, undefined, { reason });
    const error = await failure(backend.createEvent(appointment()));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(sim.requests.filter(isInsert)).toHaveLength(inserts);
    expect(sim.events.get(smith.calendarId!)?.size ?? 0).toBe(0);
  });

  it('a 401 refreshes the access token once; a lasting 401 is an auth failure', async () => {
    sim.failNext(401, 1);
    await backend.createEvent(appointment());
    expect(sim.requests.filter(isTokenCall)).toHaveLength(2);

    sim.failNext(401, 5);
    const error = await failure(backend.moveEvent(eventIdFor(42), appointment()));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
  });

  it('a revoked refresh token is an auth failure that says to reconnect', async () => {
    const token = sim.oauth.issueRefreshToken();
    sim.oauth.revokeRefreshToken(token);
    const revoked = new GoogleCalendarBackend({ config: configFor(sim), refreshToken: token });
    const error = await failure(revoked.busy([smith], NINE_AM, NINE_AM + MIN));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/invalid_grant.*reconnect/);
    expect(error.message).not.toContain(token);
  });

  it('moving an event that is not there is not_found', async () => {
    const error = await failure(backend.moveEvent('deskline404v0000', appointment()));
    expect(error.kind).toBe('not_found');
    expect(error.status).toBe(404);
  });

  it('an injected 404 is not_found and is not retried', async () => {
    sim.failNext(404);
    expect((await failure(backend.busy([smith], NINE_AM, NINE_AM + MIN))).kind).toBe('not_found');
    expect(sim.requests.filter((r) => r.path === '/calendar/v3/freeBusy')).toHaveLength(1);
  });

  it('connection refused is unavailable', async () => {
    await sim.close();
    const error = await failure(backend.busy([smith], NINE_AM, NINE_AM + MIN));
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBeNull();
  });

  it('a request slower than the timeout is unavailable and is not repeated', async () => {
    const impatient = new GoogleCalendarBackend({ config: configFor(sim), refreshToken: sim.oauth.issueRefreshToken(), requestTimeoutMs: 300 });
    sim.stallNext(1_000);
    const error = await failure(impatient.busy([smith], NINE_AM, NINE_AM + MIN));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/no answer within 300 ms/);
    expect(sim.requests.filter((r) => r.path === '/calendar/v3/freeBusy')).toHaveLength(1);
  });
});
