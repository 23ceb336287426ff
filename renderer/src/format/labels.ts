import type { CallOutcome, CallStatus, InboxKind, LiveCallState, Role, Severity } from '../contract';

export const OUTCOMES: ReadonlyArray<{ value: CallOutcome; label: string }> = [
  { value: 'booked', label: 'Booked' },
  { value: 'rescheduled', label: 'Rescheduled' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'message_taken', label: 'Message taken' },
  { value: 'transferred', label: 'Transferred' },
  { value: 'info_only', label: 'Information only' },
  { value: 'abandoned', label: 'Hung up early' },
  { value: 'failed', label: 'Failed' },
];

export function outcomeLabel(outcome: CallOutcome | null, status?: CallStatus): string {
  if (outcome) return OUTCOMES.find((o) => o.value === outcome)?.label ?? outcome;
  if (status === 'ringing' || status === 'in-progress') return 'In progress';
  if (status === 'busy' || status === 'no-answer' || status === 'canceled') return 'Missed';
  return '—';
}

export const LIVE_STATES: Record<LiveCallState, string> = {
  greeting: 'Greeting',
  listening: 'Listening',
  speaking: 'Speaking',
  tool: 'Tool running',
};

export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

export const INBOX_KINDS: Record<InboxKind, string> = {
  message: 'Message',
  voicemail: 'Voicemail',
  flagged_call: 'Flagged call',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** "$120" or "from $120"; null price → "Price on request". */
export function formatPrice(cents: number | null, from: boolean): string {
  if (cents === null) return 'Price on request';
  const amount = (cents / 100).toLocaleString(undefined, { minimumFractionDigits: cents % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 });
  return `${from ? 'from ' : ''}${amount}`;
}

/** Staff roles as the dashboard names them. */
export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', front_desk: 'Front desk', view_only: 'View only' };
