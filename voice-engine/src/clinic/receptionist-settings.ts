import type { ClinicUpdate } from '../contract.js';
import { SUPPORTED_LANGUAGES, type ClinicKnowledge, type Language } from './knowledge.js';
import * as v from './validate.js';

/**
 * The receptionist's behaviour settings (safety, identity, after hours, languages, new
 * patients): each takes the fields sent, checks them, and returns the whole new value
 * with the fields not sent kept as they are. A bad field throws a ValidationError naming it.
 */

export function safetySettings(input: NonNullable<ClinicUpdate['safety']>, current: ClinicKnowledge['safety']): ClinicKnowledge['safety'] {
  return {
    emergencyNumber: input.emergencyNumber === undefined ? current.emergencyNumber : v.emergencyNumber(input.emergencyNumber),
    urgentSituations: input.urgentSituations === undefined ? current.urgentSituations : v.urgentSituations(input.urgentSituations),
    alertNumber: input.alertNumber === undefined ? current.alertNumber : v.optionalE164(input.alertNumber, 'Number to text about urgent calls'),
  };
}

export function identitySettings(input: NonNullable<ClinicUpdate['identity']>, current: ClinicKnowledge['identity']): ClinicKnowledge['identity'] {
  const trust = input.trustUnverifiedCallerId;
  return { trustUnverifiedCallerId: trust === undefined ? current.trustUnverifiedCallerId : v.onOff(trust, 'Trust caller ID') };
}

export function afterHoursSettings(input: NonNullable<ClinicUpdate['afterHours']>, current: ClinicKnowledge['afterHours']) {
  const mode = input.mode ?? current.mode;
  if (!['normal', 'transfer', 'messages'].includes(mode)) throw new v.ValidationError('After hours: choose book as usual, transfer, or take messages only.');
  const greeting = input.greeting === undefined ? current.greeting : v.optionalText(input.greeting, 'After-hours greeting', 500);
  const transferTo = input.transferTo === undefined ? current.transferTo : v.optionalE164(input.transferTo, 'After-hours number');
  if (mode === 'transfer' && !transferTo) throw new v.ValidationError('Enter the after-hours number to transfer calls to.');
  return { mode, greeting, transferTo };
}

function language(value: unknown, field: string): Language {
  if (!SUPPORTED_LANGUAGES.includes(value as Language)) throw new v.ValidationError(`${field}: choose one of ${SUPPORTED_LANGUAGES.join(', ')}.`);
  return value as Language;
}

export function languageSettings(input: NonNullable<ClinicUpdate['languages']>, current: ClinicKnowledge['languages']): ClinicKnowledge['languages'] {
  const clinicLanguage = input.clinicLanguage === undefined ? current.clinicLanguage : language(input.clinicLanguage, 'Clinic language');
  if (input.alsoSpeaks !== undefined && !Array.isArray(input.alsoSpeaks)) throw new v.ValidationError('Other languages must be a list.');
  const also = input.alsoSpeaks === undefined ? current.alsoSpeaks : input.alsoSpeaks.map((x) => language(x, 'Other languages'));
  return {
    clinicLanguage,
    alsoSpeaks: [...new Set(also)].filter((x) => x !== clinicLanguage),
    bilingualGreeting: input.bilingualGreeting === undefined ? current.bilingualGreeting : v.onOff(input.bilingualGreeting, 'Bilingual greeting'),
  };
}

export function intakeSettings(input: NonNullable<ClinicUpdate['intake']>, current: ClinicKnowledge['intake']): ClinicKnowledge['intake'] {
  const pick = (key: keyof ClinicKnowledge['intake'], label: string) => (input[key] === undefined ? current[key] : v.onOff(input[key], `New-patient questions: ${label}`));
  return { email: pick('email', 'email'), insurance: pick('insurance', 'insurance'), reason: pick('reason', 'reason for the visit') };
}

export function transferSettings(input: NonNullable<ClinicUpdate['transfers']>, current: ClinicKnowledge['transfers']): ClinicKnowledge['transfers'] {
  const connect = input.connect ?? current.connect;
  if (connect !== 'press-key' && connect !== 'stay-on-line') throw new v.ValidationError('Transfers: choose whether the front desk presses 1 or stays on the line to take a call.');
  return { connect };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const PLACEHOLDERS = new Set(['clinic', 'clinic_phone', 'first_name', 'service', 'provider', 'date', 'time']);

function wording(value: unknown, field: string): string {
  const text = v.requireText(value, field, 480);
  for (const m of text.matchAll(/\{([^}]*)\}/g)) {
    if (!PLACEHOLDERS.has(m[1]!)) throw new v.ValidationError(`${field}: {${m[1]}} is not a placeholder. Use ${[...PLACEHOLDERS].map((p) => `{${p}}`).join(', ')}.`);
  }
  return text;
}

function hoursBefore(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 336) throw new v.ValidationError(`${field}: a whole number of hours from 0 (off) to 336.`);
  return value;
}

export function textingSettings(input: NonNullable<ClinicUpdate['texting']>, current: ClinicKnowledge['texting']): ClinicKnowledge['texting'] {
  const pick = <K extends keyof ClinicKnowledge['texting']>(key: K, check: (x: unknown) => ClinicKnowledge['texting'][K]) => (input[key] === undefined ? current[key] : check(input[key]));
  const time = (field: string) => (x: unknown) => {
    if (typeof x !== 'string' || !HHMM.test(x)) throw new v.ValidationError(`${field}: a time such as 08:00.`);
    return x;
  };
  const next = {
    confirmations: pick('confirmations', (x) => v.onOff(x, 'Confirmation texts')),
    bookedText: pick('bookedText', (x) => wording(x, 'Booked text')),
    movedText: pick('movedText', (x) => wording(x, 'Moved text')),
    cancelledText: pick('cancelledText', (x) => wording(x, 'Cancelled text')),
    reminderHours: pick('reminderHours', (x) => hoursBefore(x, 'Reminder')),
    secondReminderHours: pick('secondReminderHours', (x) => hoursBefore(x, 'Second reminder')),
    reminderText: pick('reminderText', (x) => wording(x, 'Reminder text')),
    sendFrom: pick('sendFrom', time('Send texts from')),
    sendUntil: pick('sendUntil', time('Send texts until')),
    missedCallTextBack: pick('missedCallTextBack', (x) => v.onOff(x, 'Missed-call text')),
    missedCallText: pick('missedCallText', (x) => wording(x, 'Missed-call text')),
  };
  if (next.sendFrom >= next.sendUntil) throw new v.ValidationError('Send texts from must be before send texts until.');
  if (next.secondReminderHours > 0 && next.secondReminderHours === next.reminderHours) throw new v.ValidationError('The second reminder must be at a different time from the first.');
  return next;
}

export function pricingSettings(input: NonNullable<ClinicUpdate['pricing']>, current: ClinicKnowledge['pricing']): ClinicKnowledge['pricing'] {
  const price = (key: Exclude<keyof ClinicKnowledge['pricing'], 'model'>, label: string) => {
    const x = input[key];
    if (x === undefined) return current[key];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 10_000) throw new v.ValidationError(`${label}: a price in US dollars, 0 or more.`);
    return x;
  };
  return {
    model: input.model === undefined ? current.model : v.requireText(input.model, 'Model', 80),
    textInPerM: price('textInPerM', 'Text in, per million tokens'),
    cachedTextInPerM: price('cachedTextInPerM', 'Cached text in, per million tokens'),
    audioInPerM: price('audioInPerM', 'Audio in, per million tokens'),
    cachedAudioInPerM: price('cachedAudioInPerM', 'Cached audio in, per million tokens'),
    textOutPerM: price('textOutPerM', 'Text out, per million tokens'),
    audioOutPerM: price('audioOutPerM', 'Audio out, per million tokens'),
    twilioPerMinute: price('twilioPerMinute', 'Twilio, per minute'),
  };
}

export function voicemailSettings(input: NonNullable<ClinicUpdate['voicemail']>, current: ClinicKnowledge['voicemail']): ClinicKnowledge['voicemail'] {
  return { deleteFromTwilio: input.deleteFromTwilio === undefined ? current.deleteFromTwilio : v.onOff(input.deleteFromTwilio, 'Delete voicemails from Twilio') };
}

export function recordingSettings(input: NonNullable<ClinicUpdate['recording']>, current: ClinicKnowledge['recording']): ClinicKnowledge['recording'] {
  const consent = input.consent ?? current.consent;
  if (consent !== 'announce' && consent !== 'ask') throw new v.ValidationError('Consent must be "announce" or "ask".');
  return {
    enabled: input.enabled === undefined ? current.enabled : v.onOff(input.enabled, 'Record calls'),
    consent,
    consentLine: input.consentLine === undefined ? current.consentLine : v.optionalText(input.consentLine, 'Consent line', 300),
    includeInBackups: input.includeInBackups === undefined ? current.includeInBackups : v.onOff(input.includeInBackups, 'Include recordings in backups'),
  };
}
