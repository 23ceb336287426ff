import type { BookingService } from '../booking/booking-service.js';
import { CalendarError } from '../calendar/backend.js';
import type { ToolContext, ToolDefinition } from '../call/tools.js';
import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { EngineEvents } from '../events.js';
import { addLocalDays, atLocalTime, localDate, parseLocalDateTime } from '../scheduling/clinic-time.js';
import { describeSlot, describeTime } from '../scheduling/describe.js';
import type { Provider, Service, Slot } from '../scheduling/types.js';
import type { Appointment } from '../store/appointments.js';
import type { Store } from '../store/index.js';
import { normalizeName, normalizePhone, type Patient } from '../store/patients.js';
import { handleCalendarFailure } from './calendar-failure.js';
import { clockTime, decodeSlotId, encodeSlotId, findProvider, findService, str } from './tool-args.js';
import { MAX_ALTERNATIVES, NEAREST_DAYS, nearestTimes } from './nearest-times.js';
import { checkIntake } from './new-patient.js';
import { CLOSED_FOR_CHANGES, takesMessagesOnly } from '../clinic/after-hours.js';
import { ASK_FOR_IDENTITY, IDENTITY_FAILED, IDENTITY_RETRY, MAX_IDENTITY_ATTEMPTS } from './caller-identity.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OFFERED = 3;
/** Appointments found on this call: only these may be moved or cancelled. */
const FOUND_KEY = 'appointments.found';
/** Failed name-and-date-of-birth checks on this call. */
const ATTEMPTS_KEY = 'identity.attempts';
/** Slot ids a tool offered on this call: only these may be booked or moved to. */
const OFFERED_KEY = 'slots.offered';

type Outcome = Record<string, unknown>;

function offered(ctx: ToolContext): Set<string> {
  let ids = ctx.memory.get(OFFERED_KEY) as Set<string> | undefined;
  if (!ids) ctx.memory.set(OFFERED_KEY, (ids = new Set()));
  return ids;
}

/** The slots as the model reads them out; each is remembered as offered on this call. */
function offers(slots: Slot[], ctx: ToolContext): Array<{ slot_id: string; when: string }> {
  const knowledge = ctx.knowledge;
  const names = new Map(knowledge.providers.map((p) => [p.id, p.name]));
  return slots.map((s) => {
    const id = encodeSlotId(s, knowledge.rules.timezone);
    offered(ctx).add(id);
    return { slot_id: id, when: describeSlot(s, names.get(s.providerId) ?? 'our team', knowledge.rules.timezone, ctx.now) };
  });
}

/** The slot the model asks to book, if a tool offered it on this call ("12@2026-01-05T14:00", however written). */
function offeredSlot(ctx: ToolContext, slotId: string): Pick<Slot, 'providerId' | 'start'> | null {
  const tz = ctx.knowledge.rules.timezone;
  const slot = decodeSlotId(slotId, tz);
  return slot && offered(ctx).has(encodeSlotId(slot, tz)) ? slot : null;
}

const NOT_OFFERED = 'That time has not been checked on this call. Call check_availability for the time the caller wants, then offer only what it returns.';

function found(ctx: ToolContext): Set<number> {
  let ids = ctx.memory.get(FOUND_KEY) as Set<number> | undefined;
  if (!ids) ctx.memory.set(FOUND_KEY, (ids = new Set()));
  return ids;
}

/** The booking tools: every time the model offers comes from here, so none is invented. */
export function appointmentTools(store: Store, bookings: BookingService, events: EngineEvents): ToolDefinition[] {
  /** Runs a tool body, turning a calendar failure into the caller-friendly path; after hours with messages only, the diary is off limits. */
  const guarded = (body: (args: Record<string, unknown>, ctx: ToolContext) => Promise<Outcome>) => async (args: Record<string, unknown>, ctx: ToolContext) => {
    if (takesMessagesOnly(ctx.knowledge)) return { done: false, reason: 'closed', say: CLOSED_FOR_CHANGES };
    try {
      return await body(args, ctx);
    } catch (err) {
      if (err instanceof CalendarError) return handleCalendarFailure(store, events, ctx.callId, err, ctx.now);
      throw err;
    }
  };

  /** A test call from the dashboard books into the diary it chose (see BookingService.forTestCall). */
  const diaryFor = (ctx: ToolContext): BookingService => (ctx.testCall ? bookings.forTestCall(ctx.testCall) : bookings);

  async function searchFrom(b: BookingService, knowledge: ClinicKnowledge, service: Service, providers: Provider[], from: number, days: number, now: number, ignoreId?: number): Promise<Slot[]> {
    return b.availability(knowledge, { service, providers, from, to: from + days * DAY_MS, limit: OFFERED }, now, ignoreId);
  }

  /**
   * The caller's preferred moment if it is free; otherwise the nearest free times around it
   * (that day, then the nearest days). With only a day, its first free times; with neither,
   * the first free times from now.
   */
  async function slotsNear(b: BookingService, knowledge: ClinicKnowledge, service: Service, providers: Provider[], date: string, time: string, now: number, ignoreId?: number) {
    const tz = knowledge.rules.timezone;
    const wanted = date ? parseLocalDateTime(time ? `${date}T${time}` : date, tz) : null;
    if (date && wanted === null) return { error: 'I didn’t catch the date. Could you say it again?' } as const;
    if (wanted !== null && time !== '') {
      const dayStart = atLocalTime(localDate(wanted, tz), 0, tz);
      const from = Math.max(now, dayStart - NEAREST_DAYS * DAY_MS);
      // One search for the week around the day: one calendar request, however many days.
      const around = await b.availability(knowledge, { service, providers, from, to: dayStart + (NEAREST_DAYS + 1) * DAY_MS, limit: 5000 }, now, ignoreId);
      const exact = around.filter((s) => s.start === wanted);
      if (exact.length > 0) return { exact: exact.slice(0, 1), alternatives: [] as Slot[] };
      const nearest = nearestTimes(around, wanted, tz, now);
      if (nearest.length > 0) return { exact, alternatives: nearest };
      // A week with nothing free: the first times after it.
      return { exact, alternatives: await searchFrom(b, knowledge, service, providers, dayStart + (NEAREST_DAYS + 1) * DAY_MS, 14, now, ignoreId) };
    }
    const dayStart = wanted === null ? now : atLocalTime(localDate(wanted, tz), 0, tz);
    const sameDay = await searchFrom(b, knowledge, service, providers, Math.max(dayStart, now), 1, now, ignoreId);
    const onDay = sameDay.filter((s) => localDate(s.start, tz) === localDate(dayStart, tz));
    const alternatives = onDay.length > 0 ? onDay : await searchFrom(b, knowledge, service, providers, atLocalTime(addLocalDays(localDate(dayStart, tz), 1), 0, tz), 14, now, ignoreId);
    return { exact: [] as Slot[], alternatives };
  }

  const checkAvailability: ToolDefinition = {
    name: 'check_availability',
    description: 'Find free appointment times. Always call this before offering any time. Returns concrete slots with slot_id values to book.',
    parameters: {
      type: 'object',
      properties: {
        service: { type: 'string', description: 'The service the caller wants, as named by the clinic.' },
        provider: { type: 'string', description: 'A provider the caller asked for, if any.' },
        date: { type: 'string', description: 'Preferred day, YYYY-MM-DD in clinic time.' },
        time: { type: 'string', description: 'Preferred time, HH:mm (24-hour) in clinic time.' },
      },
      required: ['service'],
    },
    run: guarded(async (args, ctx) => {
      const k = ctx.knowledge;
      const service = findService(k, str(args, 'service'));
      if (!service) return { done: false, say: `We don't offer that. Our services are: ${k.services.map((s) => s.name).join(', ')}.` };
      const providers = k.providers.filter((p) => service.providerIds.includes(p.id));
      const preferred = str(args, 'provider') ? findProvider(providers, str(args, 'provider')) : undefined;
      if (str(args, 'provider') && !preferred) {
        return { done: false, say: `${str(args, 'provider')} doesn't offer ${service.name}. ${providers.map((p) => p.name).join(', ') || 'Nobody'} does.` };
      }
      const result = await slotsNear(diaryFor(ctx), k, service, preferred ? [preferred] : providers, str(args, 'date'), str(args, 'time'), ctx.now);
      if ('error' in result) return { done: false, say: result.error };
      if (result.exact.length > 0) return { done: true, available: true, slots: offers(result.exact.slice(0, 1), ctx), say: 'That time is free. Confirm the details, then book it.' };
      const slots = offers(result.alternatives, ctx);
      if (slots.length === 0) return { done: true, available: false, slots: [], say: 'There is nothing free in the next two weeks. Offer to take a message.' };
      return {
        done: true,
        available: false,
        slots,
        say: `${str(args, 'time') ? 'That exact time is not free. ' : ''}Offer these times naturally (the nearest first), with their day and provider as written; do not read out a list of more than ${MAX_ALTERNATIVES}.`,
      };
    }),
  };

  const bookAppointment: ToolDefinition = {
    name: 'book_appointment',
    description: 'Book one slot returned by check_availability, after the caller agreed to it. A new patient needs their details first (the result says which are missing).',
    parameters: {
      type: 'object',
      properties: {
        slot_id: { type: 'string' },
        service: { type: 'string' },
        patient_name: { type: 'string' },
        phone: { type: 'string', description: 'Omit to use the number the caller is calling from.' },
        phone_confirmed: { type: 'boolean', description: 'True once the caller confirmed the number to call them back on.' },
        date_of_birth: { type: 'string', description: 'YYYY-MM-DD.' },
        email: { type: 'string' },
        insurance_carrier: { type: 'string' },
        insurance_member_id: { type: 'string' },
        visit_reason: { type: 'string', description: 'Why they are coming, in a few words.' },
      },
      required: ['slot_id', 'service', 'patient_name'],
    },
    run: guarded(async (args, ctx) => {
      const k = ctx.knowledge;
      const service = findService(k, str(args, 'service'));
      if (!decodeSlotId(str(args, 'slot_id'), k.rules.timezone)) return { done: false, say: 'Check availability first, then book one of the offered times.' };
      const slot = offeredSlot(ctx, str(args, 'slot_id'));
      if (!slot) return { done: false, reason: 'not_offered', say: NOT_OFFERED };
      const name = str(args, 'patient_name');
      if (!service) return { done: false, say: `We don't offer that. Our services are: ${k.services.map((s) => s.name).join(', ')}.` };
      if (!name) return { done: false, say: 'Ask for the patient’s full name before booking.' };
      const phone = normalizePhone(str(args, 'phone') || ctx.callerNumber);
      const identityProven = ctx.callerIdProven && phone === normalizePhone(ctx.callerNumber);
      const known = store.patients.withPhone(phone).some((p) => normalizeName(p.name) === normalizeName(name));
      const intake = known ? null : checkIntake(args, k.intake, ctx.now);
      if (intake && intake.missing.length > 0) {
        return { done: false, reason: 'new_patient_details', missing: intake.missing, say: `This is a new patient. Before booking, ask for: ${intake.missing.join(', ')}. Do not read any of it back in full.` };
      }
      const dateOfBirth = intake?.dateOfBirth ?? (str(args, 'date_of_birth') || null);
      const result = await diaryFor(ctx).book(k, service, slot, { name, phone, dateOfBirth, identityProven }, ctx.callId, ctx.now);
      if (!result.ok) {
        const near = await slotsNear(diaryFor(ctx), k, service, k.providers.filter((p) => service.providerIds.includes(p.id)), localDate(slot.start, k.rules.timezone), clockTime(slot.start, k.rules.timezone), ctx.now);
        // Another provider free at that very time comes first.
        const slots = 'error' in near ? [] : offers([...near.exact, ...near.alternatives], ctx);
        return { done: false, reason: result.reason, slots, say: 'Sorry, that time has just been taken. Offer these times instead, with their day and provider as written.' };
      }
      if (intake) {
        // A new record: its intake details are the caller's own, given before booking.
        store.patients.update(result.appointment.patientId, { email: intake.email, insuranceCarrier: intake.insuranceCarrier, insuranceMemberId: intake.insuranceMemberId });
        store.appointments.setVisitReason(result.appointment.id, intake.visitReason);
      } else if (str(args, 'visit_reason')) {
        store.appointments.setVisitReason(result.appointment.id, str(args, 'visit_reason').slice(0, 300));
      }
      found(ctx).add(result.appointment.id);
      const provider = k.providers.find((p) => p.id === slot.providerId);
      const when = describeSlot(result.appointment, provider?.name ?? 'our team', k.rules.timezone, ctx.now);
      return { done: true, appointment_id: result.appointment.id, say: `Booked: ${service.name} on ${when}.` };
    }),
  };

  function describeAppointment(k: ClinicKnowledge, a: Appointment, now: number) {
    const service = k.services.find((s) => s.id === a.serviceId)?.name ?? store.clinic.service(a.serviceId)?.name ?? 'appointment';
    const provider = k.providers.find((p) => p.id === a.providerId)?.name ?? 'our team';
    return { appointment_id: a.id, service, when: describeSlot(a, provider, k.rules.timezone, now) };
  }

  const findAppointments: ToolDefinition = {
    name: 'find_appointments',
    description:
      'Find the caller’s upcoming appointments before reading out, moving or cancelling one. Call it first with no arguments (it uses the number they are calling from when the phone network verified it); if it asks, call it again with the patient’s full name and date of birth. A phone number is never proof of who someone is.',
    parameters: {
      type: 'object',
      properties: { name: { type: 'string', description: 'The patient’s full name.' }, date_of_birth: { type: 'string', description: 'YYYY-MM-DD' } },
    },
    run(args, ctx) {
      const name = str(args, 'name');
      const dateOfBirth = str(args, 'date_of_birth');
      let patients: Patient[];
      if (name && dateOfBirth) {
        patients = store.patients.withNameAndBirthDate(name, dateOfBirth);
        if (patients.length === 0) {
          const attempts = ((ctx.memory.get(ATTEMPTS_KEY) as number | undefined) ?? 0) + 1;
          ctx.memory.set(ATTEMPTS_KEY, attempts);
          return { done: false, verified: false, say: attempts >= MAX_IDENTITY_ATTEMPTS ? IDENTITY_FAILED : IDENTITY_RETRY };
        }
      } else if (ctx.callerIdProven) {
        patients = store.patients.withPhone(ctx.callerNumber);
        if (name) patients = patients.filter((p) => p.name.toLowerCase().includes(name.toLowerCase()));
        if (patients.length === 0) return { done: false, verified: false, say: ASK_FOR_IDENTITY };
      } else {
        return { done: false, verified: false, say: ASK_FOR_IDENTITY };
      }
      // The sandbox sees only its own bookings; everyone else never sees the sandbox's.
      const inDiary = (a: Appointment) => (ctx.testCall === 'sandbox') === (a.testCall === 'sandbox');
      const appointments = patients.flatMap((p) => store.appointments.upcomingFor(p.id, ctx.now)).filter(inDiary).sort((a, b) => a.start - b.start);
      for (const a of appointments) found(ctx).add(a.id);
      if (appointments.length === 0) return { done: true, verified: true, appointments: [], say: 'There is no upcoming appointment for this patient. Offer to book one, or to take a message.' };
      return { done: true, verified: true, appointments: appointments.map((a) => describeAppointment(ctx.knowledge, a, ctx.now)), say: 'Confirm which appointment they mean.' };
    },
  };

  function appointmentFor(args: Record<string, unknown>, ctx: ToolContext): Appointment | string {
    const id = Number(args.appointment_id);
    if (!found(ctx).has(id)) return 'Find the appointment with find_appointments first.';
    const appointment = store.appointments.get(id);
    if (!appointment || appointment.status !== 'booked') return 'That appointment is no longer booked.';
    return appointment;
  }

  const rescheduleAppointment: ToolDefinition = {
    name: 'reschedule_appointment',
    description: 'Move an appointment found with find_appointments to a slot returned by check_availability.',
    parameters: { type: 'object', properties: { appointment_id: { type: 'number' }, slot_id: { type: 'string' } }, required: ['appointment_id', 'slot_id'] },
    run: guarded(async (args, ctx) => {
      const k = ctx.knowledge;
      const appointment = appointmentFor(args, ctx);
      if (typeof appointment === 'string') return { done: false, say: appointment };
      if (!decodeSlotId(str(args, 'slot_id'), k.rules.timezone)) return { done: false, say: 'Check availability first, then move it to one of the offered times.' };
      const slot = offeredSlot(ctx, str(args, 'slot_id'));
      if (!slot) return { done: false, reason: 'not_offered', say: NOT_OFFERED };
      const result = await diaryFor(ctx).reschedule(k, appointment, slot, ctx.now, ctx.callId);
      if (!result.ok) return { done: false, reason: result.reason, say: 'That time has just been taken. Check availability again.' };
      return { done: true, ...describeAppointment(k, result.appointment, ctx.now), say: `Moved to ${describeAppointment(k, result.appointment, ctx.now).when}.` };
    }),
  };

  const cancelAppointment: ToolDefinition = {
    name: 'cancel_appointment',
    description: 'Cancel an appointment found with find_appointments, after the caller confirmed.',
    parameters: { type: 'object', properties: { appointment_id: { type: 'number' } }, required: ['appointment_id'] },
    run: guarded(async (args, ctx) => {
      const appointment = appointmentFor(args, ctx);
      if (typeof appointment === 'string') return { done: false, say: appointment };
      await diaryFor(ctx).cancel(ctx.knowledge, appointment, ctx.callId);
      return { done: true, appointment_id: appointment.id, say: `Cancelled the appointment on ${describeTime(appointment.start, ctx.knowledge.rules.timezone)}.` };
    }),
  };

  return [checkAvailability, bookAppointment, findAppointments, rescheduleAppointment, cancelAppointment];
}
