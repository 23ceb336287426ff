/**
 * The sentence the front desk hears before a transferred caller is put through: who is
 * calling (their name when known, always the last four digits) and why, in one sentence.
 * It goes to the clinic's own phone only, never to a log.
 */

const MAX_NAME = 60;
const MAX_REASON = 160;

export interface WhisperFacts {
  callerName?: string | null;
  callerNumber: string;
  /** Why, in the receptionist's words (or the caller's last words, for a staff transfer). */
  reason?: string | null;
  urgent?: boolean;
}

/** Speech-safe: one line, no markup, cut at a word boundary. */
function clean(text: string | null | undefined, max: number): string {
  const flat = (text ?? '').replace(/[<>&"]/g, ' ').replace(/\s+/g, ' ').trim().replace(/[.!?,;:]+$/, '');
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : max);
}

/** "4 3 2 1": read digit by digit, as a person would. */
function lastFour(number: string): string {
  const digits = number.replace(/\D/g, '').slice(-4);
  return digits ? digits.split('').join(' ') : '';
}

export function whisperSentence(facts: WhisperFacts): string {
  const name = clean(facts.callerName, MAX_NAME);
  const four = lastFour(facts.callerNumber);
  const who = `${name || 'a caller'}${four ? `, number ending ${four}` : ''}`;
  const reason = clean(facts.reason, MAX_REASON);
  return `${facts.urgent ? 'Urgent call' : 'Call'} from ${who}${reason ? `: ${reason}` : ''}.`;
}
