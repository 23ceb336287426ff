import type { CallIntent, CallOutcome, CallSearchQuery, CallSentiment } from '../../contract';
import { addDays, isValidDate, zonedTimeToEpoch } from '../../format/time';

export interface CallFilters {
  text: string;
  caller: string;
  /** Clinic-local dates, inclusive, "YYYY-MM-DD" or "". */
  fromDate: string;
  toDate: string;
  outcome: CallOutcome | '';
  needsAction: 'any' | 'yes' | 'no';
  channel: 'any' | 'voice' | 'sms';
  intent: CallIntent | '';
  summaryFollowUp: 'any' | 'yes' | 'no';
  sentiment: CallSentiment | '';
  archived: boolean;
}

export const EMPTY_FILTERS: CallFilters = { text: '', caller: '', fromDate: '', toDate: '', outcome: '', needsAction: 'any', channel: 'any', intent: '', summaryFollowUp: 'any', sentiment: '', archived: false };

export function hasFilters(f: CallFilters): boolean {
  return f.text.trim() !== '' || f.caller.trim() !== '' || f.fromDate !== '' || f.toDate !== '' || f.outcome !== '' || f.needsAction !== 'any' || f.channel !== 'any' || f.intent !== '' || f.summaryFollowUp !== 'any' || f.sentiment !== '' || f.archived;
}

/** The filters as a `calls/search` query (no paging), dates in the clinic's zone. */
export function toQuery(f: CallFilters, tz: string | undefined): CallSearchQuery {
  const q: CallSearchQuery = {};
  if (f.text.trim()) q.text = f.text.trim();
  if (f.caller.trim()) q.caller = f.caller.trim();
  if (f.fromDate && isValidDate(f.fromDate)) q.from = zonedTimeToEpoch(f.fromDate, 0, tz);
  if (f.toDate && isValidDate(f.toDate)) q.to = zonedTimeToEpoch(addDays(f.toDate, 1), 0, tz);
  if (f.outcome) q.outcome = f.outcome;
  if (f.needsAction !== 'any') q.needsAction = f.needsAction === 'yes';
  if (f.channel !== 'any') q.channel = f.channel;
  if (f.intent) q.intent = f.intent;
  if (f.summaryFollowUp !== 'any') q.summaryFollowUp = f.summaryFollowUp === 'yes';
  if (f.sentiment) q.sentiment = f.sentiment;
  if (f.archived) q.archived = true;
  return q;
}

export function filterProblem(f: CallFilters): string | null {
  if (f.fromDate && !isValidDate(f.fromDate)) return 'The "from" date is not a date.';
  if (f.toDate && !isValidDate(f.toDate)) return 'The "to" date is not a date.';
  if (f.fromDate && f.toDate && f.toDate < f.fromDate) return 'The "to" date is before the "from" date.';
  return null;
}
