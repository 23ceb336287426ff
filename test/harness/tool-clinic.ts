import { DateTime } from 'luxon';
import { LocalCalendarBackend } from '../../voice-engine/src/calendar/backend.js';
import { ToolRegistry, type ToolContext } from '../../voice-engine/src/call/tools.js';
import { KNOWLEDGE_KEYS, loadKnowledge } from '../../voice-engine/src/clinic/knowledge.js';
import { EngineEvents } from '../../voice-engine/src/events.js';
import { appointmentTools } from '../../voice-engine/src/receptionist/appointment-tools.js';
import { BookingService } from '../../voice-engine/src/booking/booking-service.js';
import { openDatabase } from '../../voice-engine/src/store/db.js';
import { Store } from '../../voice-engine/src/store/index.js';

export const TOOL_CLINIC_TZ = 'America/Chicago';
const ALL_WEEK = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ startMin: 540, endMin: 1020 }]]));

/**
 * An in-memory clinic (Ana Ruiz, a one-hour Cleaning, open 9–5 every day in Chicago) with
 * the booking tools registered, and `run` to call a tool as one phone call would: the same
 * per-call memory until `newCall()`.
 */
export function toolClinic() {
  const store = new Store(openDatabase(':memory:'));
  store.settings.set(KNOWLEDGE_KEYS.timezone, TOOL_CLINIC_TZ);
  store.settings.set(KNOWLEDGE_KEYS.hours, ALL_WEEK);
  const ana = store.clinic.saveProvider({ name: 'Ana Ruiz', hours: ALL_WEEK, calendarId: null });
  store.clinic.saveService({ name: 'Cleaning', durationMin: 60, bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [ana.id] });
  const callSid = 'CA' + '1'.repeat(32);
  store.calls.createIfAbsent({ callSid, from: '+13125550100', to: '+1', status: 'in-progress', startedAt: Date.now() });
  const tools = new ToolRegistry();
  for (const t of appointmentTools(store, new BookingService(store, () => new LocalCalendarBackend()), new EngineEvents())) tools.register(t);
  let memory = new Map<string, unknown>();
  const run = async (name: string, args: Record<string, unknown>, call: { from: string; proven: boolean }) => {
    const ctx: ToolContext = {
      callId: 1, callSid, callerNumber: call.from, clinicNumber: '+15550001234', callerIdProven: call.proven, knowledge: loadKnowledge(store), now: Date.now(), memory,
      call: { hangUpAfterReply: () => undefined, transferAfterReply: () => undefined },
    };
    return (await tools.dispatch(name, JSON.stringify(args), ctx)).result as Record<string, any>;
  };
  return {
    store,
    ana,
    tomorrow: DateTime.now().setZone(TOOL_CLINIC_TZ).plus({ days: 1 }).toISODate()!,
    run,
    newCall: () => {
      memory = new Map();
    },
  };
}
