import type { calendar_v3 } from '@googleapis/calendar';
import { registerSecret } from '../../log.js';
import type { BusyInterval, Provider } from '../../scheduling/types.js';
import { CalendarError, type AppointmentEvent, type CalendarBackend } from '../backend.js';
import { createCalendarApi, createOAuthClient, DEFAULT_REQUEST_TIMEOUT_MS } from './google-client.js';
import type { GoogleCalendarConfig } from './google-config.js';
import { eventBody, eventIdFor } from './google-event.js';
import { isTransient, toCalendarError } from './google-errors.js';

/** Google's cap on calendars per freeBusy request (calendarExpansionMax). */
const FREEBUSY_MAX_CALENDARS = 50;
const RETRY_DELAY_MS = 250;

export interface GoogleCalendarBackendOptions {
  config: GoogleCalendarConfig;
  refreshToken: string;
  /** Per request; a caller is waiting on the phone, so this stays short. */
  requestTimeoutMs?: number;
  /** Mixed into event ids so a reinstalled Deskline (appointment ids from 1 again) cannot collide with old events. */
  eventIdNamespace?: string;
}

/**
 * Mirrors appointments into each provider's Google calendar and reads their busy
 * time from it. Every write is safe to repeat: inserts carry a fixed event id, patches
 * set absolute values, and deleting what is already gone counts as done.
 */
export class GoogleCalendarBackend implements CalendarBackend {
  readonly kind = 'google' as const;
  private readonly api: calendar_v3.Calendar;
  private readonly timeoutMs: number;
  private readonly namespace: string;

  constructor(options: GoogleCalendarBackendOptions) {
    registerSecret(options.refreshToken);
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.namespace = options.eventIdNamespace ?? '';
    const client = createOAuthClient(options.config, { timeoutMs: this.timeoutMs });
    client.setCredentials({ refresh_token: options.refreshToken });
    this.api = createCalendarApi(client, options.config, this.timeoutMs);
  }

  async busy(providers: Provider[], from: number, to: number): Promise<Map<number, BusyInterval[]>> {
    const result = new Map<number, BusyInterval[]>();
    // Several providers may share one calendar (a single clinic calendar): ask once, credit each.
    const providersByCalendar = new Map<string, number[]>();
    for (const provider of providers) {
      if (!provider.calendarId) continue;
      result.set(provider.id, []);
      providersByCalendar.set(provider.calendarId, [...(providersByCalendar.get(provider.calendarId) ?? []), provider.id]);
    }
    const calendarIds = [...providersByCalendar.keys()];
    for (let i = 0; i < calendarIds.length; i += FREEBUSY_MAX_CALENDARS) {
      const chunk = calendarIds.slice(i, i + FREEBUSY_MAX_CALENDARS);
      const response = await this.call('free/busy lookup', () =>
        this.api.freebusy.query({
          requestBody: {
            timeMin: new Date(from).toISOString(),
            timeMax: new Date(to).toISOString(),
            items: chunk.map((id) => ({ id })),
          },
        }),
      );
      for (const calendarId of chunk) {
        const intervals = busyOf(response.data.calendars?.[calendarId], calendarId);
        for (const providerId of providersByCalendar.get(calendarId) ?? []) result.get(providerId)?.push(...intervals);
      }
    }
    return result;
  }

  async createEvent(event: AppointmentEvent): Promise<string | null> {
    const calendarId = event.provider.calendarId;
    if (!calendarId) return null;
    const eventId = eventIdFor(event.appointmentId, this.namespace);
    const body = eventBody(event);
    try {
      await this.call('event insert', () =>
        this.api.events.insert({ calendarId, sendUpdates: 'none', requestBody: { ...body, id: eventId } }),
      );
    } catch (err) {
      if (!(err instanceof CalendarError) || err.status !== 409) throw err;
      // Already there: an earlier attempt landed though its answer was lost. Make sure it says what
      // this attempt says (it may have been cancelled since, and Google keeps cancelled ids taken).
      await this.call('event update', () => this.api.events.patch({ calendarId, eventId, sendUpdates: 'none', requestBody: body }));
    }
    return eventId;
  }

  async moveEvent(eventId: string, event: AppointmentEvent): Promise<void> {
    const calendarId = event.provider.calendarId;
    if (!calendarId) return;
    await this.call('event move', () =>
      this.api.events.patch({ calendarId, eventId, sendUpdates: 'none', requestBody: eventBody(event) }),
    );
  }

  async deleteEvent(eventId: string, event: AppointmentEvent): Promise<void> {
    const calendarId = event.provider.calendarId;
    if (!calendarId) return;
    try {
      await this.call('event delete', () => this.api.events.delete({ calendarId, eventId, sendUpdates: 'none' }));
    } catch (err) {
      // 410 Gone (deleted before) and 404 (never there, or removed by staff) both leave the wanted state.
      if (err instanceof CalendarError && (err.status === 410 || err.status === 404)) return;
      throw err;
    }
  }

  /**
   * One quick retry on transient failures. Not after a timeout: the caller on the phone has
   * already waited a full timeout, and a repeat would double that silence.
   */
  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    const first = await this.attempt(operation, request);
    if (first.ok) return first.value;
    if (!isTransient(first.error) || first.timedOut) throw first.error;
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    const second = await this.attempt(operation, request);
    if (second.ok) return second.value;
    throw second.error;
  }

  private async attempt<T>(
    operation: string,
    request: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: CalendarError; timedOut: boolean }> {
    const startedAt = Date.now();
    try {
      return { ok: true, value: await request() };
    } catch (err) {
      const error = toCalendarError(err, operation);
      const timedOut = error.status === null && Date.now() - startedAt >= this.timeoutMs;
      // gaxios only says "The operation was aborted."; say what happened instead.
      if (timedOut) return { ok: false, timedOut, error: new CalendarError('unavailable', null, `Google ${operation} failed: no answer within ${this.timeoutMs} ms`) };
      return { ok: false, timedOut, error };
    }
  }
}

/** A calendar Google could not read is an error, not "free": reporting it free could double-book. */
function busyOf(entry: calendar_v3.Schema$FreeBusyCalendar | undefined, calendarId: string): BusyInterval[] {
  const problem = entry === undefined ? 'notFound' : entry.errors?.[0]?.reason;
  if (problem) {
    const status = problem === 'notFound' ? 404 : problem === 'backendError' || problem === 'internalError' ? 503 : null;
    const message = `Google free/busy lookup failed for calendar ${calendarId}: ${problem}`;
    throw status === null ? new CalendarError('other', null, message) : CalendarError.fromStatus(status, message);
  }
  const intervals: BusyInterval[] = [];
  for (const block of entry?.busy ?? []) {
    const start = Date.parse(block.start ?? '');
    const end = Date.parse(block.end ?? '');
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) intervals.push({ start, end });
  }
  return intervals;
}
