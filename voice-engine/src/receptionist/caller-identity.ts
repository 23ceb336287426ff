/**
 * Who the caller has proved to be. Caller ID can be spoofed, so the number alone proves
 * nothing: it counts only when Twilio's STIR/SHAKEN check says the carrier fully attested
 * it (StirVerstat "TN-Validation-Passed-A"), or when the clinic chose to trust caller ID.
 * Otherwise the caller proves who they are with the patient's name and date of birth.
 */
export function callerIdProven(stirVerstat: string | null, trustUnverifiedCallerId: boolean): boolean {
  return trustUnverifiedCallerId || (stirVerstat ?? '').startsWith('TN-Validation-Passed-A');
}

/** Wrong name and date of birth this many times: no more guesses, the team calls back. */
export const MAX_IDENTITY_ATTEMPTS = 2;

export const ASK_FOR_IDENTITY =
  'Before anything about an appointment is said, ask for the patient’s full name and date of birth, then call find_appointments with both. Do not say whether an appointment exists.';

export const IDENTITY_RETRY =
  'Those details do not match. Ask the caller, once, to repeat the patient’s full name (spelled if needed) and date of birth, then call find_appointments again. Say nothing about any appointment.';

export const IDENTITY_FAILED =
  'The caller could not be verified. Tell them the team will call them back about it, and take a message with take_message (their name, the number to call back, and what they wanted). Say nothing about any appointment, and do not confirm whether one exists.';
