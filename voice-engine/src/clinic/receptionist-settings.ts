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
