import { createHash } from 'node:crypto';
import type { calendar_v3 } from '@googleapis/calendar';
import { DateTime } from 'luxon';
import { CalendarError, type AppointmentEvent } from '../backend.js';

/** Google event ids may only use base32hex: a–v and 0–9. */
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

function base32hex(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += BASE32HEX[(bytes[i] ?? 0) % 32];
  return out;
}

/**
 * The event id an appointment always gets, so a retried insert hits Google's
 * "identifier already exists" instead of creating a second event. The suffix hashes
 * an optional namespace (e.g. one per installation) so a fresh database that reuses
 * appointment id 1 does not collide with an event an earlier installation created.
 */
export function eventIdFor(appointmentId: number, namespace = ''): string {
  if (!Number.isSafeInteger(appointmentId) || appointmentId < 0) {
    throw new CalendarError('other', null, `Appointment id must be a non-negative integer (got ${appointmentId})`);
  }
  const digest = createHash('sha256').update(`${namespace}\u0000${appointmentId}`).digest();
  // 'v' (the last base32hex letter) separates the decimal id from the hash for a human reading it.
  return `deskline${appointmentId}v${base32hex(digest, 8)}`;
}

/** "Jane Doe" → "Jane D.": enough for the front desk to recognise a patient at a glance on a shared screen. */
export function shortPatientName(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  const first = parts[0];
  if (!first) return 'Patient';
  const last = parts.length > 1 ? parts[parts.length - 1] : undefined;
  return last ? `${first} ${last.charAt(0).toUpperCase()}.` : first;
}

function wallClock(epochMs: number, timezone: string): calendar_v3.Schema$EventDateTime {
  const iso = DateTime.fromMillis(epochMs, { zone: timezone }).toISO({ suppressMilliseconds: true });
  if (iso === null) throw new CalendarError('other', null, `Unknown clinic timezone "${timezone}"`);
  return { dateTime: iso, timeZone: timezone };
}

/**
 * The event as the clinic sees it in Google Calendar. Full patient details go in the
 * description because this is the clinic's own calendar and staff need them to call back.
 */
export function eventBody(event: AppointmentEvent): calendar_v3.Schema$Event {
  return {
    summary: `${event.serviceName} — ${shortPatientName(event.patientName)}`,
    description: [
      `Service: ${event.serviceName}`,
      `Provider: ${event.provider.name}`,
      `Patient: ${event.patientName}`,
      `Phone: ${event.patientPhone}`,
      '',
      `Booked by Deskline (appointment ${event.appointmentId}).`,
    ].join('\n'),
    start: wallClock(event.start, event.timezone),
    end: wallClock(event.end, event.timezone),
    status: 'confirmed',
    extendedProperties: {
      private: { desklineAppointmentId: String(event.appointmentId), desklineProviderId: String(event.provider.id) },
    },
  };
}
