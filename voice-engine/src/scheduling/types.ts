/**
 * The vocabulary of scheduling. Times that are instants are epoch milliseconds (UTC);
 * times that belong to the clinic's wall clock are minutes after local midnight or
 * ISO dates, and are only turned into instants in the clinic's timezone.
 */

/** ISO weekday, as luxon counts: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Minutes after local midnight; end is exclusive. 9:00–17:30 is {startMin: 540, endMin: 1050}. */
export interface TimeRange {
  startMin: number;
  endMin: number;
}

/** Opening or working hours by weekday; a missing or empty day is closed. */
export type WeeklyHours = Partial<Record<IsoWeekday, TimeRange[]>>;

/** A closure or holiday: local dates, both inclusive, YYYY-MM-DD. */
export interface Closure {
  startDate: string;
  endDate: string;
  reason: string;
}

export interface Service {
  id: number;
  name: string;
  durationMin: number;
  /** Cleaning-up time after the appointment, during which the provider cannot start another. */
  bufferAfterMin: number;
  priceCents: number | null;
  /** The price is a starting price ("from $120"). */
  priceFrom: boolean;
  providerIds: number[];
}

export interface Provider {
  id: number;
  name: string;
  hours: WeeklyHours;
  /** Google Calendar id, when Google is connected. */
  calendarId: string | null;
}

/** Time a provider cannot be booked: [start, end) in epoch ms. */
export interface BusyInterval {
  start: number;
  end: number;
}

export interface SchedulingRules {
  /** IANA zone, e.g. "America/New_York". */
  timezone: string;
  /** No booking starts sooner than this after now. */
  minLeadMinutes: number;
  /** No booking starts later than this many days after now. */
  horizonDays: number;
  /** Slot starts are aligned to this many minutes after local midnight. */
  slotStepMinutes: number;
}

export interface AvailabilityQuery {
  service: Service;
  /** Providers to consider (already filtered to those offering the service, or to the caller's preference). */
  providers: Provider[];
  clinicHours: WeeklyHours;
  closures: Closure[];
  /** Busy time per provider id: existing appointments with their buffers, and external calendar busy time. */
  busy: ReadonlyMap<number, readonly BusyInterval[]>;
  rules: SchedulingRules;
  now: number;
  /** The window asked about, [from, to) in epoch ms; clipped to lead time and horizon. */
  from: number;
  to: number;
  /** Most slots to return, earliest first. */
  limit: number;
}

export interface Slot {
  providerId: number;
  start: number;
  /** When the service itself ends. */
  end: number;
  /** When the provider is free again: end plus the service's buffer. */
  blockEnd: number;
}
