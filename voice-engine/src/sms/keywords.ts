/**
 * The keywords US carriers require a business number to honour, as Twilio's default
 * handling of a long code recognises them: the whole message is the keyword, in any case.
 * Twilio itself sends the STOP and START confirmations and refuses to text an opted-out
 * number (error 21610); the engine records the state, so no feature tries.
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP']);
/** YES opts back in only a number that opted out; from anyone else it is an answer ("yes, 11 works"). */
const OPT_IN_WHEN_OUT = new Set(['YES']);
const HELP = new Set(['HELP', 'INFO']);

export type Keyword = 'stop' | 'start' | 'help';

export function keywordOf(body: string, optedOut: boolean): Keyword | null {
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'stop';
  if (OPT_IN.has(word) || (optedOut && OPT_IN_WHEN_OUT.has(word))) return 'start';
  if (HELP.has(word)) return 'help';
  return null;
}

/** The HELP answer carriers require: who is texting and how to reach a person, and how to stop. */
export function helpText(clinicName: string, clinicPhone: string): string {
  return `${clinicName}: texts about your appointments.${clinicPhone ? ` To reach us, call ${clinicPhone}.` : ''} Msg & data rates may apply. Reply STOP to opt out.`;
}
