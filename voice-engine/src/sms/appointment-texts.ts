import { DateTime } from 'luxon';
import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { Appointment } from '../store/appointments.js';
import type { Store } from '../store/index.js';
import type { TextJob } from '../store/text-jobs.js';

export type AppointmentChangeKind = 'booked' | 'moved' | 'cancelled';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Queues what an appointment change calls for: a confirmation now (if the clinic sends them),
 * and the reminders before the new time; reminders for the old time are dropped, and a
 * moved appointment is no longer confirmed. Reminders already past are not queued: the
 * confirmation covers an appointment booked at short notice. A change the patient made in
 * their own text thread is confirmed there already, so no second text.
 */
export function planAppointmentTexts(store: Store, knowledge: ClinicKnowledge, kind: AppointmentChangeKind, appointment: Appointment, now: number, byCallId: number | null = null): void {
  const phone = store.patients.get(appointment.patientId)?.phone;
  if (!phone) return;
  const t = knowledge.texting;
  if (kind !== 'booked') store.textJobs.dropReminders(appointment.id, kind === 'moved' ? 'the appointment moved' : 'the appointment was cancelled', now);
  if (kind === 'moved') store.appointments.setConfirmed(appointment.id, null);
  const inTheirThread = byCallId !== null && store.sms.threadOf(byCallId)?.phone === phone;
  if (t.confirmations && !inTheirThread) store.textJobs.add({ kind, appointmentId: appointment.id, phone, dueAt: now }, now);
  if (kind === 'cancelled') return;
  for (const hours of [t.reminderHours, t.secondReminderHours]) {
    const due = appointment.start - hours * HOUR_MS;
    if (hours > 0 && due > now) store.textJobs.add({ kind: 'reminder', appointmentId: appointment.id, phone, dueAt: due }, now);
  }
}

/** Fills a clinic's wording: {clinic}, {clinic_phone}, {first_name}, {service}, {provider}, {date}, {time}. */
export function fillWording(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole).replace(/\s+/g, ' ').trim();
}

/** The text a job sends, from the appointment as it is now; null when there is nothing to say. */
export function jobText(store: Store, knowledge: ClinicKnowledge, job: TextJob): string | null {
  const t = knowledge.texting;
  const base = { clinic: knowledge.profile.name, clinic_phone: knowledge.profile.phone };
  if (job.kind === 'missed_call') return fillWording(t.missedCallText, base);
  const a = job.appointmentId === null ? undefined : store.appointments.get(job.appointmentId);
  if (!a) return null;
  const when = DateTime.fromMillis(a.start, { zone: knowledge.rules.timezone });
  const values = {
    ...base,
    first_name: store.patients.get(a.patientId)?.name.split(/\s+/)[0] ?? '',
    service: store.clinic.service(a.serviceId)?.name ?? 'appointment',
    provider: store.clinic.provider(a.providerId)?.name ?? 'our team',
    date: when.toFormat('cccc d LLLL'),
    time: when.toFormat('h:mm a'),
  };
  const template = { booked: t.bookedText, moved: t.movedText, cancelled: t.cancelledText, reminder: t.reminderText }[job.kind];
  return fillWording(template, values);
}

/**
 * When a reminder or missed-call text may go out: now, inside the clinic's sending hours,
 * or else the next opening of them (clinic-local).
 */
export function nextSendingTime(knowledge: ClinicKnowledge, now: number): number {
  const zone = knowledge.rules.timezone;
  const local = DateTime.fromMillis(now, { zone });
  const at = (day: DateTime, hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return day.set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
  };
  const from = at(local, knowledge.texting.sendFrom);
  // "Until 21:00" includes 21:00 itself, to the end of that minute (so "until 23:59" is the whole day).
  const until = at(local, knowledge.texting.sendUntil).plus({ minutes: 1 });
  if (local >= from && local < until) return now;
  return (local < from ? from : at(local.plus({ days: 1 }), knowledge.texting.sendFrom)).toMillis();
}
