import type { IntakeSettings } from '../clinic/knowledge.js';
import { isEmail } from '../clinic/validate.js';
import { str } from './tool-args.js';

/** What a new patient gave, checked; `missing` lists what the receptionist must still ask for, in words it can say. */
export interface NewPatientIntake {
  dateOfBirth: string | null;
  email: string | null;
  insuranceCarrier: string | null;
  insuranceMemberId: string | null;
  visitReason: string | null;
  missing: string[];
}

/** A real calendar date, not in the future and not before 1900. */
export function validBirthDate(text: string, now: number): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const at = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text) return null;
  return at <= now && text >= '1900-01-01' ? text : null;
}

/** Checks book_appointment's arguments for a new patient against what the clinic asks of one. */
export function checkIntake(args: Record<string, unknown>, intake: IntakeSettings, now: number): NewPatientIntake {
  const missing: string[] = [];
  const dateOfBirth = validBirthDate(str(args, 'date_of_birth'), now);
  if (!dateOfBirth) missing.push('date of birth');
  if (args.phone_confirmed !== true) missing.push('confirmation of the number to call them back on');
  const email = str(args, 'email').toLowerCase() || null;
  if (intake.email && (!email || !isEmail(email))) missing.push('email address');
  const insuranceCarrier = str(args, 'insurance_carrier').slice(0, 120) || null;
  const insuranceMemberId = str(args, 'insurance_member_id').replace(/\s+/g, '').slice(0, 40) || null;
  if (intake.insurance && (!insuranceCarrier || !insuranceMemberId)) missing.push('insurance carrier and member ID');
  const visitReason = str(args, 'visit_reason').slice(0, 300) || null;
  if (intake.reason && !visitReason) missing.push('reason for the visit');
  return { dateOfBirth, email: email && isEmail(email) ? email : null, insuranceCarrier, insuranceMemberId, visitReason, missing };
}

/** The instructions' line about new patients, following the clinic's settings. */
export function intakeRule(intake: IntakeSettings): string {
  const asks = ['full name', 'date of birth', 'a number to call them back on (confirm the number they are calling from)'];
  if (intake.email) asks.push('email address');
  if (intake.insurance) asks.push('insurance carrier and member ID');
  if (intake.reason) asks.push('the reason for the visit');
  return `- Before booking a new patient, collect: ${asks.join(', ')}. Never read back a full date of birth, email address or member ID; confirm by spelling or the last digits only.`;
}
