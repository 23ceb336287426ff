import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { CalendarError, LocalCalendarBackend, type CalendarBackend } from '../../voice-engine/src/calendar/backend.js';
import { deriveOutcome } from '../../voice-engine/src/call/outcome.js';
import { ToolRegistry, type ToolContext } from '../../voice-engine/src/call/tools.js';
import { KNOWLEDGE_KEYS, loadKnowledge } from '../../voice-engine/src/clinic/knowledge.js';
import { EngineEvents } from '../../voice-engine/src/events.js';
import { appointmentTools } from '../../voice-engine/src/receptionist/appointment-tools.js';
import { BookingService } from '../../voice-engine/src/booking/booking-service.js';
import { callTools } from '../../voice-engine/src/receptionist/call-tools.js';
import { openDatabase } from '../../voice-engine/src/store/db.js';
import { Store } from '../../voice-engine/src/store/index.js';
import type { ToolCallRecord } from '../../voice-engine/src/contract.js';

const TZ = 'America/Chicago';
const ALL_WEEK = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ startMin: 540, endMin: 1020 }]]));

describe('receptionist tools', () => {
  let store: Store;
  let tools: ToolRegistry;
  let backend: CalendarBackend;
  let ctx: ToolContext;
  let hungUp: number;
  let tomorrow: string;

  const run = async (name: string, args: Record<string, unknown>, from = '+13125550100') =>
    (await tools.dispatch(name, JSON.stringify(args), { ...ctx, callerNumber: from, knowledge: loadKnowledge(store) })).result as Record<string, any>;

  beforeEach(() => {
    store = new Store(openDatabase(':memory:'));
    store.settings.set(KNOWLEDGE_KEYS.timezone, TZ);
    store.settings.set(KNOWLEDGE_KEYS.hours, ALL_WEEK);
    const ana = store.clinic.saveProvider({ name: 'Ana Ruiz', hours: ALL_WEEK, calendarId: null });
    store.clinic.saveService({ name: 'Cleaning', durationMin: 60, bufferAfterMin: 0, priceCents: 12000, priceFrom: false, providerIds: [ana.id] });
    store.calls.createIfAbsent({ callSid: 'CA' + '1'.repeat(32), from: '+13125550100', to: '+1', status: 'in-progress', startedAt: Date.now() });
    backend = new LocalCalendarBackend();
    tools = new ToolRegistry();
    const events = new EngineEvents();
    const bookings = new BookingService(store, () => backend);
    for (const t of [...appointmentTools(store, bookings, events), ...callTools(store, events, () => '+13125550199')]) tools.register(t);
    hungUp = 0;
    tomorrow = DateTime.now().setZone(TZ).plus({ days: 1 }).toISODate()!;
    ctx = {
      callId: 1,
      callSid: 'CA' + '1'.repeat(32),
      callerNumber: '+13125550100',
      clinicNumber: '+13125550000',
      callerIdProven: true,
      knowledge: loadKnowledge(store),
      now: Date.now(),
      memory: new Map(),
      call: { hangUpAfterReply: () => hungUp++, transferAfterReply: () => undefined },
    };
  });

  it('refuses a service the clinic does not offer, naming the ones it does', async () => {
    expect(await run('check_availability', { service: 'tattoo removal' })).toEqual({ done: false, say: "We don't offer that. Our services are: Cleaning." });
  });

  it('will not book a time no tool offered on this call (one outside opening hours included), and does not call it "no longer" free', async () => {
    for (const time of ['20:00', '10:00']) {
      const result = await run('book_appointment', { slot_id: `1@${tomorrow}T${time}`, service: 'Cleaning', patient_name: 'Ned Flanders' });
      expect(result).toMatchObject({ done: false, reason: 'not_offered', say: expect.stringMatching(/check_availability/) });
      expect(result.say).not.toMatch(/no longer|any more/);
    }
    expect(store.appointments.between(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    // Offered, then booked: the same slot written differently is still the offered one.
    expect(await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' })).toMatchObject({ available: true });
    expect(await run('book_appointment', { slot_id: ` 1@${tomorrow}T10:00 `, service: 'Cleaning', patient_name: 'Ned Flanders', date_of_birth: '1960-01-01', phone_confirmed: true })).toMatchObject({ done: true });
  });

  it('when the asked-for time is taken, offers the nearest before and after it that day, then other days, at most four, each bookable', async () => {
    await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' });
    await run('book_appointment', { slot_id: `1@${tomorrow}T10:00`, service: 'Cleaning', patient_name: 'First Caller', date_of_birth: '1970-01-01', phone_confirmed: true });
    ctx.memory = new Map();
    const taken = await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' });
    expect(taken).toMatchObject({ available: false });
    const ids: string[] = taken.slots.map((s: { slot_id: string }) => s.slot_id);
    expect(ids.length).toBeLessThanOrEqual(4);
    // That day: the nearest before and after. Other days: 10:00. Today, the nearest bookable time to 10:00, which the
    // lead time can push later (at 9:09 it is 10:15), never earlier. In order of time.
    const today = DateTime.now().setZone(TZ).toISODate()!;
    expect(ids.filter((id) => id.includes(`@${tomorrow}T`))).toEqual([`1@${tomorrow}T09:00`, `1@${tomorrow}T11:00`]);
    expect(ids.filter((id) => !id.includes(`@${tomorrow}T`) && !id.includes(`@${today}T`)).every((id) => id.endsWith('T10:00'))).toBe(true);
    expect(ids.filter((id) => id.includes(`@${today}T`)).every((id) => id.slice(-5) >= '10:00')).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(await run('book_appointment', { slot_id: `1@${tomorrow}T11:00`, service: 'Cleaning', patient_name: 'Second Caller', date_of_birth: '1971-01-01', phone_confirmed: true })).toMatchObject({ done: true });
  });

  it('with the whole week around the asked-for day closed, offers the first free times after it', async () => {
    const day = (n: number) => DateTime.now().setZone(TZ).plus({ days: n }).toISODate()!;
    store.clinic.addClosure({ startDate: day(2), endDate: day(8), reason: 'Renovation' });
    const reply = await run('check_availability', { service: 'Cleaning', date: day(5), time: '10:00' });
    expect(reply).toMatchObject({ available: false });
    expect(reply.slots.length).toBeGreaterThan(0);
    expect(reply.slots.every((s: { slot_id: string }) => s.slot_id.split('@')[1]!.slice(0, 10) >= day(9))).toBe(true);
  });

  it('finds by name and date of birth from another phone, and only then lets the caller cancel', async () => {
    await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' }, '+13125550111');
    await run('book_appointment', { slot_id: `1@${tomorrow}T10:00`, service: 'Cleaning', patient_name: 'Rosa Park', date_of_birth: '1980-02-04', phone_confirmed: true }, '+13125550111');
    ctx.memory = new Map();
    const [appointment] = store.appointments.between(0, Number.MAX_SAFE_INTEGER);
    const blind = await run('cancel_appointment', { appointment_id: appointment!.id }, '+13125550999');
    expect(blind).toMatchObject({ done: false, say: 'Find the appointment with find_appointments first.' });
    expect(await run('find_appointments', {}, '+13125550999')).toMatchObject({ done: false, verified: false, say: expect.stringMatching(/full name and date of birth/) });
    const wrongDob = await run('find_appointments', { name: 'Rosa Park', date_of_birth: '1980-02-05' }, '+13125550999');
    expect(wrongDob).toMatchObject({ verified: false });
    expect(wrongDob.appointments).toBeUndefined();
    const found = await run('find_appointments', { name: 'rosa  park', date_of_birth: '1980-02-04' }, '+13125550999');
    expect(found.appointments).toEqual([expect.objectContaining({ appointment_id: appointment!.id, service: 'Cleaning', when: expect.stringMatching(/at 10:00 AM with Ana Ruiz$/) })]);
    expect(await run('cancel_appointment', { appointment_id: appointment!.id }, '+13125550999')).toMatchObject({ done: true });
    expect(store.appointments.get(appointment!.id)!.status).toBe('cancelled');
    // The freed time is offered again.
    const again = await run('check_availability', { service: 'Cleaning', date: tomorrow, time: '10:00' });
    expect(again).toMatchObject({ available: true });
  });

  it('stores a message against the call with the caller ID as the callback number', async () => {
    expect(await run('take_message', { reason: 'Billing question', urgency: 'urgent' })).toMatchObject({ done: true });
    expect(store.messages.listForCall(1)).toEqual([expect.objectContaining({ reason: 'Billing question', urgency: 'urgent', callbackNumber: '+13125550100' })]);
    expect(store.calls.get(1)!.needsAction).toBe(true);
  });

  it('end_call asks the call to hang up after the goodbye, not before', async () => {
    expect(await run('end_call', {})).toMatchObject({ done: true });
    expect(hungUp).toBe(1);
  });

  it.each([
    [404, 'not_found', /setup problem/, /transfer_to_staff/, 'calendar_setup'],
    [429, 'rate_limited', /very busy/, /take_message/, 'calendar_unavailable'],
    [503, 'unavailable', /isn’t available right now/, /take_message/, 'calendar_unavailable'],
    [401, 'auth', /setup problem/, /transfer_to_staff/, 'calendar_setup'],
    [403, 'auth', /setup problem/, /transfer_to_staff/, 'calendar_setup'],
  ])('a calendar %i becomes words for the caller, a flag and a recorded error', async (status, kind, say, next, type) => {
    backend = {
      kind: 'google',
      busy: async () => Promise.reject(CalendarError.fromStatus(status, 'boom')),
      createEvent: async () => null,
      moveEvent: async () => undefined,
      deleteEvent: async () => undefined,
    };
    const result = await run('check_availability', { service: 'Cleaning' });
    expect(result).toMatchObject({ done: false, calendar_error: kind });
    expect(result.say).toMatch(say);
    expect(result.next).toMatch(next);
    expect(store.calls.get(1)!.needsAction).toBe(true);
    expect(store.systemErrors.listForCall(1).map((e) => e.type)).toEqual([type]);
  });
});

describe('call outcome', () => {
  const tool = (name: string, done: boolean, status: 'ok' | 'error' = 'ok'): ToolCallRecord => ({ id: 1, callId: 1, name, arguments: {}, result: { done }, status, startedAt: 0, finishedAt: 1 });

  it.each([
    [[tool('check_availability', true), tool('book_appointment', true)], false, true, 'booked'],
    [[tool('book_appointment', false)], false, true, 'info_only'],
    [[tool('find_appointments', true), tool('reschedule_appointment', true)], false, true, 'rescheduled'],
    [[tool('cancel_appointment', true)], false, true, 'cancelled'],
    [[tool('take_message', true)], false, true, 'message_taken'],
    [[tool('transfer_to_staff', true)], false, true, 'transferred'],
    [[tool('take_message', true)], true, true, 'message_taken'],
    [[], true, true, 'failed'],
    [[], false, false, 'abandoned'],
    [[tool('nonsense', false, 'error')], false, true, 'info_only'],
  ] as const)('%#: derives the outcome from what happened', (toolCalls, wentToFallback, callerSpoke, outcome) => {
    expect(deriveOutcome({ toolCalls: [...toolCalls], wentToFallback, callerSpoke })).toBe(outcome);
  });
});
