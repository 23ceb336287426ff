import type { BookingService } from '../booking/booking-service.js';
import { CalendarError } from '../calendar/backend.js';
import { loadKnowledge } from '../clinic/knowledge.js';
import type { AppointmentDetailsUpdate, AppointmentView } from '../contract-views.js';
import { maskPhone } from '../phi.js';
import type { SlotProblem } from '../scheduling/availability.js';
import type { Appointment } from '../store/appointments.js';
import type { Store } from '../store/index.js';
import { normalizePhone, type PatientDetailsUpdate } from '../store/patients.js';
import { validBirthDate } from '../receptionist/new-patient.js';
import { isEmail } from '../clinic/validate.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

const PROBLEMS: Record<SlotProblem, string> = {
  closed: 'The clinic is closed that day.',
  outside_hours: 'That time is outside the provider’s working hours for this service.',
  too_soon: 'That time is too soon: it is inside the minimum notice for bookings.',
  too_far: 'That time is beyond the booking horizon.',
  taken: 'That time is already booked.',
  misaligned: 'Appointments start on the clinic’s slot grid (see Settings → scheduling).',
};

/** The Appointments screen books through the same core as the receptionist, so the same rules apply. */
export function registerAppointmentHandlers(registry: HandlerRegistry, store: Store, bookings: BookingService): void {
  const view = (a: Appointment): AppointmentView => {
    const patient = store.patients.get(a.patientId);
    return {
      id: a.id,
      start: a.start,
      end: a.end,
      providerId: a.providerId,
      providerName: store.clinic.provider(a.providerId)?.name ?? 'Former provider',
      serviceId: a.serviceId,
      serviceName: store.clinic.service(a.serviceId)?.name ?? 'Former service',
      patientName: patient?.name ?? 'Unknown',
      patientPhoneMasked: maskPhone(patient?.phone),
      status: a.status,
      bookedByCallId: a.bookedByCallId,
      patientId: a.patientId,
      patientDateOfBirth: patient?.dateOfBirth ?? null,
      patientEmail: patient?.email ?? null,
      insuranceCarrier: patient?.insuranceCarrier ?? null,
      insuranceMemberId: patient?.insuranceMemberId ?? null,
      visitReason: a.visitReason,
      confirmedAt: a.confirmedAt,
      testCall: a.testCall,
    };
  };

  /** Turns a refusal or a calendar failure into a message staff can act on. */
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof CalendarError) throw new HandlerError('BAD_REQUEST', `Google Calendar refused the change (${err.kind}): ${err.message}`);
      throw err;
    }
  };

  registry.register('appointments/list', (args) => {
    const from = Number(args.from);
    const to = Number(args.to);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new HandlerError('BAD_REQUEST', 'from and to must be times with from before to');
    if (to - from > 62 * 86_400_000) throw new HandlerError('BAD_REQUEST', 'Ask for at most two months at a time');
    return store.appointments.between(from, to).map(view);
  });

  registry.register('appointments/create', (args) =>
    guarded(async () => {
      const knowledge = loadKnowledge(store);
      const service = knowledge.services.find((s) => s.id === Number(args.serviceId));
      if (!service) throw new HandlerError('BAD_REQUEST', 'Choose a service.');
      const name = typeof args.patientName === 'string' ? args.patientName.trim() : '';
      const phone = typeof args.patientPhone === 'string' ? normalizePhone(args.patientPhone) : '';
      if (!name) throw new HandlerError('BAD_REQUEST', 'Enter the patient’s name.');
      if (phone.replace(/\D/g, '').length < 7) throw new HandlerError('BAD_REQUEST', 'Enter the patient’s phone number.');
      const result = await bookings.book(knowledge, service, { providerId: Number(args.providerId), start: Number(args.start) }, { name, phone, dateOfBirth: null }, null, Date.now());
      if (!result.ok) throw new HandlerError('BAD_REQUEST', PROBLEMS[result.reason]);
      return view(result.appointment);
    }),
  );

  const existing = (id: number): Appointment => {
    const appointment = store.appointments.get(id);
    if (!appointment || appointment.status !== 'booked') throw new HandlerError('NOT_FOUND', 'That appointment is no longer booked.');
    return appointment;
  };

  registry.register('appointments/move', (args) =>
    guarded(async () => {
      const appointment = existing(Number(args.id));
      const slot = { providerId: args.providerId === undefined ? appointment.providerId : Number(args.providerId), start: Number(args.start) };
      const result = await bookings.reschedule(loadKnowledge(store), appointment, slot, Date.now());
      if (!result.ok) throw new HandlerError('BAD_REQUEST', PROBLEMS[result.reason]);
      return view(result.appointment);
    }),
  );

  registry.register('appointments/update-details', (args) => {
    const appointment = store.appointments.get(Number(args.id));
    if (!appointment) throw new HandlerError('NOT_FOUND', 'No such appointment.');
    const details = patientDetails(args.patient ?? {});
    const reason = args.visitReason === undefined ? undefined : text(args.visitReason, 'Reason for the visit', 300);
    // Checked in full first: a bad field changes nothing.
    store.db.transaction(() => {
      store.patients.update(appointment.patientId, details);
      if (reason !== undefined) store.appointments.setVisitReason(appointment.id, reason);
    })();
    return view(store.appointments.get(appointment.id)!);
  });

  registry.register('appointments/cancel', (args) => guarded(() => bookings.cancel(loadKnowledge(store), existing(Number(args.id)))));
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new HandlerError('BAD_REQUEST', `${field} must be text.`);
  if (value.length > max) throw new HandlerError('BAD_REQUEST', `${field} must be at most ${max} characters.`);
  return value.trim();
}

/** Staff edits of a patient's record, each field checked; empty clears an optional one. */
function patientDetails(p: NonNullable<AppointmentDetailsUpdate['patient']>): PatientDetailsUpdate {
  const out: PatientDetailsUpdate = {};
  if (p.name !== undefined) {
    out.name = text(p.name, 'Name', 120);
    if (!out.name) throw new HandlerError('BAD_REQUEST', 'Enter the patient’s name.');
  }
  if (p.phone !== undefined) {
    out.phone = normalizePhone(text(p.phone, 'Phone', 40));
    if (out.phone.replace(/\D/g, '').length < 7) throw new HandlerError('BAD_REQUEST', 'Enter the patient’s phone number.');
  }
  if (p.dateOfBirth !== undefined) {
    const dob = text(p.dateOfBirth, 'Date of birth', 10);
    if (dob && !validBirthDate(dob, Date.now())) throw new HandlerError('BAD_REQUEST', 'Date of birth must be a past date like 1984-06-30.');
    out.dateOfBirth = dob || null;
  }
  if (p.email !== undefined) {
    const email = text(p.email, 'Email', 200).toLowerCase();
    if (email && !isEmail(email)) throw new HandlerError('BAD_REQUEST', 'Email must look like name@example.com.');
    out.email = email || null;
  }
  if (p.insuranceCarrier !== undefined) out.insuranceCarrier = text(p.insuranceCarrier, 'Insurance carrier', 120) || null;
  if (p.insuranceMemberId !== undefined) out.insuranceMemberId = text(p.insuranceMemberId, 'Member ID', 40).replace(/\s+/g, '') || null;
  return out;
}
