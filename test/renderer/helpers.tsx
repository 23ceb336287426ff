/**
 * Shared fixtures for the dashboard's component tests: an in-memory engine with a
 * clinic, and builders for the contract's shapes.
 */
import { act, configure, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { AppProviders } from '../../renderer/src/App';
import type { CallSummary, ClinicKnowledge, LiveCallView, SessionView, ToolCallRecord, TranscriptLine } from '../../renderer/src/contract';
import { InMemoryEmitter, InMemoryTransport, type InMemoryHandlers } from '../../renderer/src/transport/in-memory';

/**
 * findBy… and waitFor wait up to 5 s, not 1: on CI's two cores the component tests share the
 * machine with engines streaming audio, and a first render can take over a second. A wait
 * still fails when what it waits for never comes.
 */
configure({ asyncUtilTimeout: 5000 });

export const TZ = 'America/New_York';

export function clinicFixture(overrides: Partial<ClinicKnowledge> = {}): ClinicKnowledge {
  const weekdays = { startMin: 540, endMin: 1020 };
  return {
    profile: { name: 'Bright Smile Clinic', address: '1 Main St', phone: '+15550001111', timezone: TZ },
    hours: { 1: [weekdays], 2: [weekdays], 3: [weekdays], 4: [weekdays], 5: [weekdays] },
    closures: [],
    services: [
      { id: 1, name: 'Botox', durationMin: 30, bufferAfterMin: 10, priceCents: 25000, priceFrom: true, providerIds: [1, 2] },
      { id: 2, name: 'Cleaning', durationMin: 45, bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [2] },
    ],
    providers: [
      { id: 1, name: 'Priya Shah', hours: { 1: [weekdays], 2: [weekdays] }, calendarId: null },
      { id: 2, name: 'Sam Lee', hours: { 3: [weekdays], 4: [weekdays] }, calendarId: null },
    ],
    policies: [{ title: 'Cancellations', text: '24 hours notice please.' }],
    faqs: [{ id: 1, question: 'Is there parking?', answer: 'Yes, behind the building.' }],
    rules: { timezone: TZ, minLeadMinutes: 60, horizonDays: 90, slotStepMinutes: 15 },
    receptionist: { greeting: 'Hello!', defaultGreeting: 'Thank you for calling Sunrise Dental.', voice: 'marin', extraInstructions: '', idlePromptS: 10, idleHangUpS: 10, maxCallMinutes: 30, transferKey: '0' },
    safety: { emergencyNumber: '911', urgentSituations: [], alertNumber: '' },
    identity: { trustUnverifiedCallerId: false },
    afterHours: { mode: 'normal', greeting: '', transferTo: '', defaultGreeting: 'Thank you for calling Bright Smile Clinic. We are closed right now.' },
    languages: { clinicLanguage: 'English', alsoSpeaks: ['Spanish'], bilingualGreeting: false },
    intake: { email: false, insurance: false, reason: false },
    transfers: { connect: 'press-key' },
    voicemail: { deleteFromTwilio: true },
    recording: { enabled: false, consent: 'announce', consentLine: '', includeInBackups: false },
    pricing: { model: 'gpt-realtime', textInPerM: 4, cachedTextInPerM: 0.4, audioInPerM: 32, cachedAudioInPerM: 0.4, textOutPerM: 16, audioOutPerM: 64, twilioPerMinute: 0.0125 },
    texting: {
      confirmations: true, bookedText: 'Booked {service} on {date} at {time}.', movedText: 'Moved to {date} at {time}.', cancelledText: 'Cancelled.',
      reminderHours: 24, secondReminderHours: 0, reminderText: 'Reminder: {service} on {date} at {time}. Reply C to confirm or R to reschedule.',
      sendFrom: '08:00', sendUntil: '21:00', missedCallTextBack: false, missedCallText: 'Sorry we missed your call.',
    },
    openNow: true,
    ...overrides,
  };
}

/** A dashboard connection with someone signed in (an admin, unless said). */
export function sessionFixture(overrides: Partial<SessionView> = {}): SessionView {
  return {
    signedIn: true,
    account: { id: 1, name: 'Maria', role: 'admin' },
    locked: false,
    idleLockMinutes: 10,
    needsFirstAdmin: false,
    accounts: [{ id: 1, name: 'Maria', role: 'admin', secretKind: 'pin' }],
    callsInProgress: 0,
    ...overrides,
  };
}

let nextId = 1000;

export function callFixture(overrides: Partial<CallSummary> = {}): CallSummary {
  const id = overrides.id ?? nextId++;
  return {
    id,
    callSid: `CA${String(id).padStart(32, '0')}`,
    fromMasked: '•••• 1234',
    channel: 'voice',
    testCall: null,
    status: 'in-progress',
    startedAt: Date.now() - 65_000,
    answeredAt: Date.now() - 64_000,
    endedAt: null,
    durationS: null,
    needsAction: false,
    fallback: null,
    outcome: null,
    archived: false,
    urgent: null,
    ...overrides,
  };
}

export function liveFixture(call: Partial<CallSummary> = {}, overrides: Partial<LiveCallView> = {}): LiveCallView {
  return { call: callFixture(call), callerName: null, state: 'listening', transcript: [], toolCalls: [], ...overrides };
}

export function lineFixture(callId: number, text: string, overrides: Partial<TranscriptLine> = {}): TranscriptLine {
  return { id: nextId++, callId, speaker: 'caller', text, interrupted: false, spokenAt: Date.now(), ...overrides };
}

export function toolFixture(callId: number, overrides: Partial<ToolCallRecord> = {}): ToolCallRecord {
  return { id: nextId++, callId, name: 'check_availability', arguments: {}, result: null, status: 'running', startedAt: Date.now(), finishedAt: null, ...overrides };
}

export interface Rendered extends RenderResult {
  transport: InMemoryTransport;
  emitter: InMemoryEmitter;
  /** Push an engine event, inside act(). */
  emit: InMemoryEmitter['emit'];
}

/** Renders `ui` against an in-memory engine; `clinic/get` answers with the fixture unless overridden. */
export function renderWithEngine(ui: ReactElement, handlers: InMemoryHandlers = {}, clinic: ClinicKnowledge = clinicFixture()): Rendered {
  const emitter = new InMemoryEmitter();
  const transport = new InMemoryTransport({ 'clinic/get': () => clinic, 'session/state': () => sessionFixture(), ...handlers }, emitter);
  const result = render(<AppProviders transport={transport}>{ui}</AppProviders>);
  const emit: InMemoryEmitter['emit'] = (event, payload) => {
    act(() => emitter.emit(event, payload));
  };
  return { ...result, transport, emitter, emit };
}
