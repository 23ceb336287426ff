import { BookingService } from '../booking/booking-service.js';
import { LocalCalendarBackend, type CalendarBackend } from '../calendar/backend.js';
import { GoogleCalendarBackend } from '../calendar/google/google-backend.js';
import type { GoogleCalendarConfig } from '../calendar/google/google-config.js';
import type { GoogleTokenStore } from '../calendar/google/google-token-store.js';
import type { ToolRegistry } from '../call/tools.js';
import type { EngineEvents } from '../events.js';
import { eventNamespace } from '../calendar/event-namespace.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { appointmentTools } from './appointment-tools.js';
import { callTools } from './call-tools.js';
import { urgentTools } from './urgent-tools.js';
import type { SendText } from '../sms/text-sender.js';

export interface ReceptionistDeps {
  store: Store;
  events: EngineEvents;
  tools: ToolRegistry;
  transferNumber: () => string | null;
  google: { config: GoogleCalendarConfig | null; tokens: GoogleTokenStore };
  log: Logger;
  /** Resolves once what was just committed is on disk (bookings wait for it). */
  durable?: () => Promise<void>;
  /** Texts staff (the on-call phone) about urgent calls. */
  sendText?: SendText;
}

/**
 * Google Calendar when the clinic has connected it, the embedded calendar otherwise.
 * Chosen per use, so connecting or disconnecting Google applies without a restart.
 */
export function calendarSelector(google: ReceptionistDeps['google'], log: Logger, namespace: () => string = () => ''): () => CalendarBackend {
  const local = new LocalCalendarBackend();
  let cached: { token: string; backend: GoogleCalendarBackend } | null = null;
  return () => {
    if (!google.config) return local;
    let token: string | null;
    try {
      token = google.tokens.loadRefreshToken();
    } catch (err) {
      log.error(`Google Calendar is connected but unusable: ${(err as Error).message}`);
      return local;
    }
    if (!token) return local;
    if (cached?.token !== token) cached = { token, backend: new GoogleCalendarBackend({ config: google.config, refreshToken: token, eventIdNamespace: namespace() }) };
    return cached.backend;
  };
}

/** Gives the model its tools: booking, messages, urgent calls, transfers and hanging up. */
export function registerReceptionistTools(deps: ReceptionistDeps): BookingService {
  const bookings = new BookingService(deps.store, calendarSelector(deps.google, deps.log, () => eventNamespace(deps.store.settings)), deps.durable);
  for (const tool of [...appointmentTools(deps.store, bookings, deps.events), ...callTools(deps.store, deps.events, deps.transferNumber), ...urgentTools(deps.store, deps.events, deps.transferNumber, deps.log, deps.sendText)]) deps.tools.register(tool);
  return bookings;
}
