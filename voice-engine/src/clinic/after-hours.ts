import type { ClinicKnowledge } from './knowledge.js';

/** After hours with "messages only": the diary is not changed on this call. */
export function takesMessagesOnly(knowledge: ClinicKnowledge): boolean {
  return !knowledge.openNow && knowledge.afterHours.mode === 'messages';
}

/** After hours with "transfer": the call goes straight to this number, not to the receptionist. */
export function afterHoursTransferNumber(knowledge: ClinicKnowledge): string | null {
  const { mode, transferTo } = knowledge.afterHours;
  return !knowledge.openNow && mode === 'transfer' && transferTo ? transferTo : null;
}

export const CLOSED_FOR_CHANGES = 'The clinic is closed, so appointments cannot be booked, moved or cancelled on this call. Take a message for the team (take_message); they will call back when the clinic opens.';
