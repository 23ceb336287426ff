import type { Faq } from '../contract-views.js';
import type { Store } from '../store/index.js';
import type { Closure, Provider, SchedulingRules, Service, WeeklyHours } from '../scheduling/types.js';
import { isOpenAt } from './opening-hours.js';

export interface ClinicProfile {
  name: string;
  address: string;
  phone: string;
  /** IANA zone the clinic's hours and appointments are in. */
  timezone: string;
}

export interface Policy {
  title: string;
  text: string;
}

export interface ReceptionistSettings {
  /** The clinic's own greeting; empty means the default below. */
  greeting: string;
  /** Built from the clinic's name, so it follows a rename. */
  defaultGreeting: string;
  voice: string;
  extraInstructions: string;
  /** Caller silent this long on their turn: "are you still there?" (seconds). */
  idlePromptS: number;
  /** Still silent this long after that: goodbye, and the call ends (seconds). */
  idleHangUpS: number;
  /** The longest call: then a polite wrap-up and the front desk, or goodbye (minutes). */
  maxCallMinutes: number;
  /** The keypad key that reaches the front desk at any time ('' turns it off). */
  transferKey: string;
}

/** What the receptionist does when a caller describes one of the clinic's urgent situations. */
export type UrgentAction = 'transfer' | 'message';

export interface UrgentSituation {
  /** Short, in the clinic's words: "Knocked-out tooth", "Swelling after surgery". */
  description: string;
  action: UrgentAction;
  /** For 'transfer': the number to put the caller through to; empty means the front desk. */
  transferTo: string;
}

export interface SafetySettings {
  /** Callers describing a possible emergency are told to hang up and call this. */
  emergencyNumber: string;
  urgentSituations: UrgentSituation[];
  /** Texted when a call becomes urgent (the on-call phone); empty for none. */
  alertNumber: string;
}

export interface IdentitySettings {
  /**
   * Read out, move and cancel appointments by caller ID even when the phone network did not
   * verify the number (STIR/SHAKEN). Off by default: caller ID can be spoofed.
   */
  trustUnverifiedCallerId: boolean;
}

export const IDENTITY_DEFAULTS: IdentitySettings = { trustUnverifiedCallerId: false };

/**
 * Outside opening hours (and on closures): 'normal' books and takes messages as usual,
 * 'transfer' sends the call straight to an after-hours number or answering service,
 * 'messages' takes messages only.
 */
export type AfterHoursMode = 'normal' | 'transfer' | 'messages';

export interface AfterHoursSettings {
  mode: AfterHoursMode;
  /** The clinic's own after-hours greeting; empty means the default. */
  greeting: string;
  /** For 'transfer': the after-hours number or answering service. */
  transferTo: string;
}

export const AFTER_HOURS_DEFAULTS: AfterHoursSettings = { mode: 'normal', greeting: '', transferTo: '' };

/** Languages the receptionist may speak, by their English names. */
export const SUPPORTED_LANGUAGES = ['English', 'Spanish', 'French', 'Portuguese', 'Vietnamese', 'Chinese', 'Korean', 'Tagalog', 'Russian', 'Arabic'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export interface LanguageSettings {
  /** The clinic's own language: staff read messages and notes in it. */
  clinicLanguage: Language;
  /** Besides the clinic's language, the receptionist answers callers in these. */
  alsoSpeaks: Language[];
  /** The greeting ends with one line in the first of `alsoSpeaks` ("Para español, hable en español"). */
  bilingualGreeting: boolean;
}

export const LANGUAGE_DEFAULTS: LanguageSettings = { clinicLanguage: 'English', alsoSpeaks: ['Spanish'], bilingualGreeting: false };

/** What the receptionist asks a new patient for before booking, besides name, date of birth and a confirmed callback number. */
export interface IntakeSettings {
  email: boolean;
  insurance: boolean;
  reason: boolean;
}

export const INTAKE_DEFAULTS: IntakeSettings = { email: false, insurance: false, reason: false };

/**
 * How a person at the front desk takes a transfer after hearing the whisper: 'press-key'
 * (the default: a desk phone's own voicemail can never take the caller) or 'stay-on-line'.
 */
export type TransferConnect = 'press-key' | 'stay-on-line';

export interface TransferSettings {
  connect: TransferConnect;
}

export const TRANSFER_DEFAULTS: TransferSettings = { connect: 'press-key' };

/**
 * Texts Deskline sends on its own. Wording uses placeholders: {clinic}, {clinic_phone},
 * {first_name}, {service}, {provider}, {date}, {time}.
 */
export interface TextingSettings {
  /** A text after each booking, move and cancellation, by phone, text or the dashboard. */
  confirmations: boolean;
  bookedText: string;
  movedText: string;
  cancelledText: string;
  /** Hours before the appointment; 0 turns it off. */
  reminderHours: number;
  /** A second reminder this many hours before; 0 for none. */
  secondReminderHours: number;
  reminderText: string;
  /** Reminders and missed-call texts go out only between these clinic-local times (HH:mm). */
  sendFrom: string;
  sendUntil: string;
  /** One text inviting a reply, after a call that ended in the voicemail or before the caller was helped. */
  missedCallTextBack: boolean;
  missedCallText: string;
}

export const TEXTING_DEFAULTS: TextingSettings = {
  confirmations: true,
  bookedText: '{clinic}: you are booked for {service} with {provider} on {date} at {time}. Reply here to change it.',
  movedText: '{clinic}: your {service} is now on {date} at {time} with {provider}.',
  cancelledText: '{clinic}: your {service} on {date} at {time} is cancelled. Reply here to book another time.',
  reminderHours: 24,
  secondReminderHours: 0,
  reminderText: '{clinic}: reminder of your {service} with {provider} on {date} at {time}. Reply C to confirm or R to reschedule.',
  sendFrom: '08:00',
  sendUntil: '21:00',
  missedCallTextBack: false,
  missedCallText: '{clinic}: sorry we missed your call. Reply to this text to book or ask a question, or call us back any time.',
};

/** Prices for the cost of each call, in US dollars: the Realtime model's per million tokens, and Twilio's per minute. */
export interface PricingSettings {
  model: string;
  textInPerM: number;
  cachedTextInPerM: number;
  audioInPerM: number;
  cachedAudioInPerM: number;
  textOutPerM: number;
  audioOutPerM: number;
  twilioPerMinute: number;
}

/** gpt-realtime's published prices, and a US local number's inbound minute with a media stream. */
export const PRICING_DEFAULTS: PricingSettings = {
  model: 'gpt-realtime',
  textInPerM: 4,
  cachedTextInPerM: 0.4,
  audioInPerM: 32,
  cachedAudioInPerM: 0.4,
  textOutPerM: 16,
  audioOutPerM: 64,
  twilioPerMinute: 0.0125,
};

export interface VoicemailSettings {
  /** Once a voicemail is on the PC, delete it from Twilio (patients' voices do not stay in the cloud). */
  deleteFromTwilio: boolean;
}

export const VOICEMAIL_DEFAULTS: VoicemailSettings = { deleteFromTwilio: true };

/**
 * Call recording, off unless the clinic turns it on. 'announce': the greeting says the call is
 * recorded. 'ask': the greeting says so and invites the caller to object; if they do, recording
 * stops and nothing of it is kept.
 */
export type RecordingConsent = 'announce' | 'ask';

export interface RecordingSettings {
  enabled: boolean;
  consent: RecordingConsent;
  /** Added to the greeting; empty for the default wording of the consent mode. */
  consentLine: string;
  /** Copy recordings into backups too (as encrypted as the backups are). */
  includeInBackups: boolean;
}

export const RECORDING_DEFAULTS: RecordingSettings = { enabled: false, consent: 'announce', consentLine: '', includeInBackups: false };

export const DEFAULT_CONSENT_LINES: Record<RecordingConsent, string> = {
  announce: 'This call is recorded for quality and training.',
  ask: 'This call may be recorded for quality; just tell me if you would rather it was not.',
};

export const SAFETY_DEFAULTS: SafetySettings = { emergencyNumber: '911', urgentSituations: [], alertNumber: '' };

export const CALL_LIMIT_DEFAULTS = { idlePromptS: 10, idleHangUpS: 10, maxCallMinutes: 30, transferKey: '0' } as const;

export interface ClinicKnowledge {
  profile: ClinicProfile;
  hours: WeeklyHours;
  closures: Array<Closure & { id: number }>;
  services: Service[];
  providers: Provider[];
  policies: Policy[];
  faqs: Faq[];
  rules: SchedulingRules;
  receptionist: ReceptionistSettings;
  safety: SafetySettings;
  identity: IdentitySettings;
  afterHours: AfterHoursSettings & {
    /** Built from the clinic's name and the mode. */
    defaultGreeting: string;
  };
  languages: LanguageSettings;
  intake: IntakeSettings;
  transfers: TransferSettings;
  texting: TextingSettings;
  pricing: PricingSettings;
  voicemail: VoicemailSettings;
  recording: RecordingSettings;
  /** Open at the moment this was loaded (a call's start): its hours and closures decide the call's mode. */
  openNow: boolean;
}

export const KNOWLEDGE_KEYS = {
  name: 'clinic.name',
  address: 'clinic.address',
  phone: 'clinic.phone',
  timezone: 'clinic.timezone',
  hours: 'clinic.hours',
  policies: 'clinic.policies',
  rules: 'scheduling.rules',
  greeting: 'receptionist.greeting',
  voice: 'receptionist.voice',
  extraInstructions: 'receptionist.instructions',
  callLimits: 'receptionist.callLimits',
  safety: 'receptionist.safety',
  identity: 'receptionist.identity',
  afterHours: 'receptionist.afterHours',
  languages: 'receptionist.languages',
  intake: 'receptionist.intake',
  transfers: 'receptionist.transfers',
  texting: 'texting',
  pricing: 'pricing',
  voicemail: 'voicemail',
  recording: 'recording',
} as const;

const WEEKDAYS_9_TO_5: WeeklyHours = {
  1: [{ startMin: 540, endMin: 1020 }],
  2: [{ startMin: 540, endMin: 1020 }],
  3: [{ startMin: 540, endMin: 1020 }],
  4: [{ startMin: 540, endMin: 1020 }],
  5: [{ startMin: 540, endMin: 1020 }],
};

export const DEFAULT_RULES: SchedulingRules = { timezone: 'UTC', minLeadMinutes: 60, horizonDays: 90, slotStepMinutes: 15 };

let pcZone: string | undefined;

/** The PC's own zone: the appliance sits in the clinic, so it is the right default. Read once: building the formatter costs about a millisecond, paid by every call's webhook otherwise. */
function systemTimezone(): string {
  pcZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return pcZone;
}

function defaultAfterHoursGreeting(name: string, mode: AfterHoursMode): string {
  if (mode === 'transfer') return `Thank you for calling ${name}. We are closed right now; connecting you to our after-hours service.`;
  const offer = mode === 'messages' ? 'I can take a message for the team, who will call you back when we open.' : 'I can still help with appointments, or take a message.';
  return `Thank you for calling ${name}. We are closed right now. This is the virtual receptionist; ${offer} How can I help?`;
}

/** Read fresh for every call, so an edit in Settings applies to the next call without a restart. */
export function loadKnowledge(store: Store, now = Date.now()): ClinicKnowledge {
  const s = store.settings;
  const name = s.get<string>(KNOWLEDGE_KEYS.name)?.trim() || 'the clinic';
  const timezone = s.get<string>(KNOWLEDGE_KEYS.timezone) || systemTimezone();
  const storedRules = s.get<Partial<SchedulingRules>>(KNOWLEDGE_KEYS.rules) ?? {};
  const hours = s.get<WeeklyHours>(KNOWLEDGE_KEYS.hours) ?? WEEKDAYS_9_TO_5;
  const closures = store.clinic.closures();
  const afterHours = { ...AFTER_HOURS_DEFAULTS, ...s.get<Partial<AfterHoursSettings>>(KNOWLEDGE_KEYS.afterHours) };
  return {
    profile: { name, address: s.get<string>(KNOWLEDGE_KEYS.address) ?? '', phone: s.get<string>(KNOWLEDGE_KEYS.phone) ?? '', timezone },
    hours,
    closures,
    services: store.clinic.services(),
    providers: store.clinic.providers(),
    policies: s.get<Policy[]>(KNOWLEDGE_KEYS.policies) ?? [],
    faqs: store.clinic.faqs(),
    rules: { ...DEFAULT_RULES, ...storedRules, timezone },
    receptionist: {
      greeting: s.get<string>(KNOWLEDGE_KEYS.greeting)?.trim() ?? '',
      defaultGreeting: `Thank you for calling ${name}. This is the virtual receptionist. How can I help you today?`,
      voice: s.get<string>(KNOWLEDGE_KEYS.voice)?.trim() || 'marin',
      extraInstructions: s.get<string>(KNOWLEDGE_KEYS.extraInstructions)?.trim() ?? '',
      ...CALL_LIMIT_DEFAULTS,
      ...s.get<Partial<Pick<ReceptionistSettings, keyof typeof CALL_LIMIT_DEFAULTS>>>(KNOWLEDGE_KEYS.callLimits),
    },
    safety: { ...SAFETY_DEFAULTS, ...s.get<Partial<SafetySettings>>(KNOWLEDGE_KEYS.safety) },
    identity: { ...IDENTITY_DEFAULTS, ...s.get<Partial<IdentitySettings>>(KNOWLEDGE_KEYS.identity) },
    afterHours: { ...afterHours, defaultGreeting: defaultAfterHoursGreeting(name, afterHours.mode) },
    languages: { ...LANGUAGE_DEFAULTS, ...s.get<Partial<LanguageSettings>>(KNOWLEDGE_KEYS.languages) },
    intake: { ...INTAKE_DEFAULTS, ...s.get<Partial<IntakeSettings>>(KNOWLEDGE_KEYS.intake) },
    transfers: { ...TRANSFER_DEFAULTS, ...s.get<Partial<TransferSettings>>(KNOWLEDGE_KEYS.transfers) },
    texting: { ...TEXTING_DEFAULTS, ...s.get<Partial<TextingSettings>>(KNOWLEDGE_KEYS.texting) },
    pricing: { ...PRICING_DEFAULTS, ...s.get<Partial<PricingSettings>>(KNOWLEDGE_KEYS.pricing) },
    voicemail: { ...VOICEMAIL_DEFAULTS, ...s.get<Partial<VoicemailSettings>>(KNOWLEDGE_KEYS.voicemail) },
    recording: { ...RECORDING_DEFAULTS, ...s.get<Partial<RecordingSettings>>(KNOWLEDGE_KEYS.recording) },
    openNow: isOpenAt(hours, closures, timezone, now),
  };
}
