import type { BusyInterval, Provider } from '../scheduling/types.js';

/** What a calendar event says about an appointment. */
export interface AppointmentEvent {
  /** Our appointment id: also the stable key that keeps a retried insert from duplicating. */
  appointmentId: number;
  provider: Provider;
  serviceName: string;
  patientName: string;
  patientPhone: string;
  start: number;
  /** End of the service, not including the buffer. */
  end: number;
  timezone: string;
}

export type CalendarFailureKind = 'not_found' | 'rate_limited' | 'unavailable' | 'auth' | 'other';

/** A calendar provider said no. `kind` decides what the caller is told. */
export class CalendarError extends Error {
  constructor(
    readonly kind: CalendarFailureKind,
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }

  static fromStatus(status: number | null, message: string): CalendarError {
    if (status === 404) return new CalendarError('not_found', status, message);
    if (status === 429) return new CalendarError('rate_limited', status, message);
    if (status === 401 || status === 403) return new CalendarError('auth', status, message);
    if (status !== null && status >= 500) return new CalendarError('unavailable', status, message);
    if (status === null) return new CalendarError('unavailable', null, message);
    return new CalendarError('other', status, message);
  }
}

/**
 * Where appointments are mirrored. Every appointment is always kept in SQLite; a
 * backend adds busy time from outside (Google) and writes events there. The local
 * backend has nothing to add.
 */
export interface CalendarBackend {
  readonly kind: 'local' | 'google';
  /** Busy time the clinic's own database does not know about, per provider id. */
  busy(providers: Provider[], from: number, to: number): Promise<Map<number, BusyInterval[]>>;
  /** Returns the external event id, or null when the backend keeps no events. */
  createEvent(event: AppointmentEvent): Promise<string | null>;
  /** Moves the existing event; it must never create a second one. */
  moveEvent(eventId: string, event: AppointmentEvent): Promise<void>;
  deleteEvent(eventId: string, event: AppointmentEvent): Promise<void>;
}

export class LocalCalendarBackend implements CalendarBackend {
  readonly kind = 'local' as const;
  async busy(): Promise<Map<number, BusyInterval[]>> {
    return new Map();
  }
  async createEvent(): Promise<string | null> {
    return null;
  }
  async moveEvent(): Promise<void> {}
  async deleteEvent(): Promise<void> {}
}
