import type { AppointmentEvent, CalendarBackend } from '../calendar/backend.js';
import type { ClinicKnowledge } from '../clinic/knowledge.js';
import { checkSlot, findSlots, type SlotProblem } from '../scheduling/availability.js';
import type { BusyInterval, Provider, Service, Slot } from '../scheduling/types.js';
import type { Appointment, DiaryView } from '../store/appointments.js';
import type { TestCallDiary } from '../contract.js';
import type { Store } from '../store/index.js';
import type { Patient } from '../store/patients.js';

export interface SlotRequest {
  service: Service;
  providers: Provider[];
  from: number;
  to: number;
  limit: number;
}

export interface PatientDetails {
  name: string;
  phone: string;
  dateOfBirth: string | null;
  /**
   * The caller proved the phone is theirs (verified caller ID), so a date of birth they give
   * may be written onto an existing record that has none. Otherwise it never is: a date of
   * birth is what proves identity later, and a stranger must not be able to set it.
   */
  identityProven?: boolean;
}

/** Told of each change once it is on disk; `byCallId` is the call or text thread that made it (null: staff). */
export type ChangeListener = (kind: 'booked' | 'moved' | 'cancelled', appointment: Appointment, knowledge: ClinicKnowledge, byCallId: number | null) => void;

export type BookingResult =
  | { ok: true; appointment: Appointment; patient: Patient }
  | { ok: false; reason: SlotProblem };

/** Busy time from two sources, merged per provider and sorted. */
function mergeBusy(a: ReadonlyMap<number, BusyInterval[]>, b: ReadonlyMap<number, BusyInterval[]>): Map<number, BusyInterval[]> {
  const out = new Map<number, BusyInterval[]>();
  for (const source of [a, b]) {
    for (const [id, list] of source) out.set(id, [...(out.get(id) ?? []), ...list]);
  }
  for (const list of out.values()) list.sort((x, y) => x.start - y.start);
  return out;
}

/**
 * Availability and bookings against one diary. The clinic's database is the record:
 * a slot is checked and written in one transaction, so two callers racing for the last
 * slot cannot both get it, and the calendar backend is then brought in line.
 */
export class BookingService {
  constructor(
    private readonly store: Store,
    private readonly backend: () => CalendarBackend,
    /** Resolves once what was just committed is on disk (the storage thread's synced commit). */
    private readonly durable: () => Promise<void> = () => Promise.resolve(),
    /** A test call's bookings (marked as test); null for everyone else's. */
    private readonly testCall: TestCallDiary | null = null,
    private readonly listeners: ChangeListener[] = [],
  ) {}

  /**
   * The same diary for a test call from the dashboard: its bookings are marked as test. In
   * the sandbox they are also kept out of the clinic's diary (no real caller is ever offered
   * less because of them), never reach the external calendar, and tell no listener (no texts);
   * only the sandbox's own appointments can be moved or cancelled from it.
   */
  forTestCall(diary: TestCallDiary): BookingService {
    return new BookingService(this.store, this.backend, this.durable, diary, this.listeners);
  }

  private get diary(): DiaryView {
    return this.testCall === 'sandbox' ? 'sandbox' : 'clinic';
  }

  /** The sandbox may only touch its own appointments. */
  private mayChange(appointment: Appointment): boolean {
    return this.testCall !== 'sandbox' || appointment.testCall === 'sandbox';
  }

  /** Told after every booking, move and cancellation is on disk, whoever made it (the texts that follow). */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  private changed(kind: 'booked' | 'moved' | 'cancelled', appointment: Appointment, knowledge: ClinicKnowledge, byCallId: number | null): void {
    for (const listener of this.listeners) {
      // A listener's failure (a text not queued) must never undo or fail the booking itself.
      try {
        listener(kind, appointment, knowledge, byCallId);
      } catch {
        /* each listener records its own failures */
      }
    }
  }

  /** Free slots, earliest first. Throws CalendarError when the external calendar cannot be read. */
  async availability(knowledge: ClinicKnowledge, request: SlotRequest, now: number, ignoreAppointmentId?: number): Promise<Slot[]> {
    const external = await this.backend().busy(request.providers, request.from, request.to);
    return findSlots({
      service: request.service,
      providers: request.providers,
      clinicHours: knowledge.hours,
      closures: knowledge.closures,
      busy: mergeBusy(this.localBusy(request.providers, request.from, request.to, ignoreAppointmentId), external),
      rules: knowledge.rules,
      now,
      from: request.from,
      to: request.to,
      limit: request.limit,
    });
  }

  async book(knowledge: ClinicKnowledge, service: Service, slot: Pick<Slot, 'providerId' | 'start'>, details: PatientDetails, callId: number | null, now: number): Promise<BookingResult> {
    const provider = knowledge.providers.find((p) => p.id === slot.providerId);
    const end = slot.start + service.durationMin * 60_000;
    const blockEnd = end + service.bufferAfterMin * 60_000;
    const external = provider ? await this.backend().busy([provider], slot.start, blockEnd) : new Map<number, BusyInterval[]>();
    const written = this.store.db.transaction((): BookingResult => {
      const problem = this.problemWith(knowledge, service, slot, blockEnd, external, now);
      if (problem) return { ok: false, reason: problem };
      const patient = this.store.patients.findOrCreate(details.name, details.phone, details.dateOfBirth, details.identityProven === true);
      const appointment = this.store.appointments.create({
        patientId: patient.id,
        providerId: slot.providerId,
        serviceId: service.id,
        start: slot.start,
        end,
        blockEnd,
        bookedByCallId: callId,
        testCall: this.testCall,
      });
      return { ok: true, appointment, patient };
    }).immediate();
    if (!written.ok) return written;
    if (!provider || this.testCall === 'sandbox') {
      await this.durable();
      return written;
    }
    try {
      const eventId = await this.backend().createEvent(this.eventFor(knowledge, written.appointment, provider, service, written.patient));
      if (eventId) this.store.appointments.linkExternalEvent(written.appointment.id, eventId);
      // The caller hears "booked" only once the booking is on disk.
      await this.durable();
      this.changed('booked', written.appointment, knowledge, callId);
      return { ...written, appointment: { ...written.appointment, externalEventId: eventId } };
    } catch (err) {
      // The calendar refused the event: the slot is released rather than left half-booked.
      this.store.appointments.cancel(written.appointment.id);
      throw err;
    }
  }

  /** Moves an appointment; the same calendar event is moved, never a second one made. */
  /** `byCallId`: the call or text thread that asked for it (null: staff). */
  async reschedule(knowledge: ClinicKnowledge, appointment: Appointment, slot: Pick<Slot, 'providerId' | 'start'>, now: number, byCallId: number | null = null): Promise<BookingResult> {
    const service = knowledge.services.find((s) => s.id === appointment.serviceId) ?? this.store.clinic.service(appointment.serviceId);
    const provider = knowledge.providers.find((p) => p.id === slot.providerId);
    const patient = this.store.patients.get(appointment.patientId);
    if (!service || !provider || !patient) return { ok: false, reason: 'outside_hours' };
    if (!this.mayChange(appointment)) return { ok: false, reason: 'taken' };
    const end = slot.start + service.durationMin * 60_000;
    const blockEnd = end + service.bufferAfterMin * 60_000;
    const external = await this.backend().busy([provider], slot.start, blockEnd);
    const before = appointment;
    const moved = this.store.db.transaction((): BookingResult => {
      const problem = this.problemWith(knowledge, service, slot, blockEnd, external, now, appointment.id);
      if (problem) return { ok: false, reason: problem };
      return { ok: true, appointment: this.store.appointments.reschedule(appointment.id, slot.providerId, slot.start, end, blockEnd), patient };
    }).immediate();
    if (!moved.ok) return moved;
    if (this.testCall === 'sandbox') {
      await this.durable();
      return moved;
    }
    try {
      const event = this.eventFor(knowledge, moved.appointment, provider, service, patient);
      const previousProvider = knowledge.providers.find((p) => p.id === before.providerId) ?? this.store.clinic.provider(before.providerId);
      if (before.externalEventId && before.providerId === slot.providerId) {
        await this.backend().moveEvent(before.externalEventId, event);
      } else if (before.externalEventId && previousProvider) {
        // Another provider means another calendar: the event moves by being re-created there.
        await this.backend().deleteEvent(before.externalEventId, { ...event, provider: previousProvider, start: before.start, end: before.end });
        this.store.appointments.linkExternalEvent(before.id, await this.backend().createEvent(event));
      }
    } catch (err) {
      this.store.appointments.reschedule(before.id, before.providerId, before.start, before.end, before.blockEnd);
      throw err;
    }
    await this.durable();
    this.changed('moved', moved.appointment, knowledge, byCallId);
    return moved;
  }

  async cancel(knowledge: ClinicKnowledge, appointment: Appointment, byCallId: number | null = null): Promise<void> {
    if (!this.mayChange(appointment)) throw new Error('A sandbox test call cannot cancel an appointment in the clinic’s diary');
    const service = this.store.clinic.service(appointment.serviceId);
    const provider = knowledge.providers.find((p) => p.id === appointment.providerId) ?? this.store.clinic.provider(appointment.providerId);
    const patient = this.store.patients.get(appointment.patientId);
    if (appointment.externalEventId && service && provider && patient) {
      await this.backend().deleteEvent(appointment.externalEventId, this.eventFor(knowledge, appointment, provider, service, patient));
    }
    this.store.appointments.cancel(appointment.id);
    await this.durable();
    if (this.testCall !== 'sandbox') this.changed('cancelled', appointment, knowledge, byCallId);
  }

  private localBusy(providers: Provider[], from: number, to: number, ignoreId?: number): Map<number, BusyInterval[]> {
    return this.store.appointments.busyFor(providers.map((p) => p.id), from, to, ignoreId, this.diary);
  }

  /** Re-reads the diary inside the transaction: this is what makes a race safe. */
  private problemWith(
    knowledge: ClinicKnowledge,
    service: Service,
    slot: Pick<Slot, 'providerId' | 'start'>,
    blockEnd: number,
    external: ReadonlyMap<number, BusyInterval[]>,
    now: number,
    ignoreId?: number,
  ): SlotProblem | null {
    const providers = knowledge.providers.filter((p) => service.providerIds.includes(p.id));
    const busy = mergeBusy(new Map([[slot.providerId, this.store.appointments.busy(slot.providerId, slot.start, blockEnd, ignoreId, this.diary)]]), external);
    const check = checkSlot({ service, providers, clinicHours: knowledge.hours, closures: knowledge.closures, busy, rules: knowledge.rules, now }, slot);
    return check.ok ? null : check.reason;
  }

  private eventFor(knowledge: ClinicKnowledge, appointment: Appointment, provider: Provider, service: Service, patient: Patient): AppointmentEvent {
    return {
      appointmentId: appointment.id,
      provider,
      // Staff looking at the external calendar see a test call's booking for what it is.
      serviceName: appointment.testCall ? `[Test call] ${service.name}` : service.name,
      patientName: patient.name,
      patientPhone: patient.phone,
      start: appointment.start,
      end: appointment.end,
      timezone: knowledge.rules.timezone,
    };
  }
}
