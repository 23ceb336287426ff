import type { ToolCallRecord } from '../contract';
import { formatPlainDate, minutesToLabel, parseTimeOfDay } from './time';

export type ToolTone = 'running' | 'ok' | 'error';

export interface ToolDescription {
  text: string;
  tone: ToolTone;
}

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  if (typeof value === 'string') {
    // Arguments may arrive as the model's raw JSON text.
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Obj) : {};
    } catch {
      return {};
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function str(o: Obj, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
}

function sentence(text: string): string {
  const t = text.trim();
  return t === '' ? t : /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** "2025-11-25" → "Tue 25 Nov"; anything else is shown as given. */
function day(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? formatPlainDate(date) : date;
}

/** "14:00" → "2:00 PM". */
function time(t: string): string {
  const min = parseTimeOfDay(t);
  return min === null ? t : minutesToLabel(min);
}

/** A slot id "3@2025-11-25T14:00" → "Tue 25 Nov at 2:00 PM". */
function slotWhen(slotId: string): string {
  const match = /^\d+@(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(slotId);
  return match ? `${day(match[1]!)} at ${time(match[2]!)}` : '';
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

interface ToolWords {
  /** While running, from the arguments. */
  running(args: Obj): string;
  /** "Could not …" */
  failVerb(args: Obj): string;
  /** Finished with done !== false. */
  ok?(args: Obj, result: Obj): string | null;
}

const TOOLS: Record<string, ToolWords> = {
  check_availability: {
    running(a) {
      const parts = [`Checking availability${str(a, 'service') ? ` for ${str(a, 'service')}` : ''}`];
      if (str(a, 'provider')) parts.push(`with ${str(a, 'provider')}`);
      if (str(a, 'date')) parts.push(`on ${day(str(a, 'date'))}`);
      if (str(a, 'time')) parts.push(`at ${time(str(a, 'time'))}`);
      return `${parts.join(' ')}…`;
    },
    failVerb: (a) => `check availability${str(a, 'service') ? ` for ${str(a, 'service')}` : ''}`,
    ok(a, r) {
      const slots = Array.isArray(r.slots) ? r.slots.map((s) => str(obj(s), 'when')).filter(Boolean) : [];
      const service = str(a, 'service');
      if (r.available === true && slots[0]) return `${service ? `${service}: ` : ''}${slots[0]} is free.`;
      if (slots.length === 0) return `No free times${service ? ` for ${service}` : ''} in the next two weeks.`;
      return `Offered ${list(slots)}.`;
    },
  },
  book_appointment: {
    running(a) {
      const who = str(a, 'patient_name');
      const when = slotWhen(str(a, 'slot_id'));
      return `Booking ${str(a, 'service') || 'an appointment'}${who ? ` for ${who}` : ''}${when ? ` on ${when}` : ''}…`;
    },
    failVerb: (a) => `book ${str(a, 'service') || 'the appointment'}`,
  },
  find_appointments: {
    running(a) {
      const name = str(a, 'name');
      return name ? `Looking up appointments for ${name}…` : 'Looking up the caller’s appointments…';
    },
    failVerb: () => 'find the caller’s appointments',
    ok(_a, r) {
      const found = Array.isArray(r.appointments) ? r.appointments.map(obj) : [];
      if (found.length === 0) return 'No upcoming appointment found.';
      const described = found.map((x) => [str(x, 'service'), str(x, 'when')].filter(Boolean).join(' on '));
      return `Found ${found.length === 1 ? 'an appointment' : `${found.length} appointments`}: ${described.join('; ')}.`;
    },
  },
  reschedule_appointment: {
    running(a) {
      const when = slotWhen(str(a, 'slot_id'));
      return `Moving the appointment${when ? ` to ${when}` : ''}…`;
    },
    failVerb: () => 'move the appointment',
  },
  cancel_appointment: {
    running: () => 'Cancelling the appointment…',
    failVerb: () => 'cancel the appointment',
  },
  take_message: {
    running(a) {
      const reason = str(a, 'reason');
      return reason ? `Taking a message: “${reason}”…` : 'Taking a message…';
    },
    failVerb: () => 'take the message',
    ok(a) {
      const reason = str(a, 'reason');
      const urgent = str(a, 'urgency') === 'urgent' ? 'Urgent message' : 'Message';
      const from = str(a, 'caller_name');
      return `${urgent} taken${from ? ` from ${from}` : ''}${reason ? `: “${reason}”` : ''}.`;
    },
  },
  transfer_to_staff: {
    running: () => 'Transferring to the front desk…',
    failVerb: () => 'transfer to the front desk',
    ok: () => 'Putting the caller through to the front desk.',
  },
  end_call: {
    running: () => 'Saying goodbye…',
    failVerb: () => 'end the call',
    ok: () => 'Saying goodbye; the call ends after it.',
  },
};

/** Words for why a tool result with done:false did not happen. */
const SLOT_PROBLEMS: Record<string, string> = {
  taken: 'that time is no longer free.',
  closed: 'the clinic is closed then.',
  outside_hours: 'that time is outside working hours.',
  too_soon: 'that time is too soon to book.',
  too_far: 'that time is too far ahead to book.',
  misaligned: 'that is not one of the offered start times.',
};

function notDoneReason(r: Obj): string {
  const problem = SLOT_PROBLEMS[str(r, 'reason')];
  if (problem) return problem;
  if (str(r, 'calendar_error')) return `the appointment book could not be reached (${str(r, 'calendar_error').replace(/_/g, ' ')}).`;
  const say = str(r, 'say');
  return say ? sentence(say) : 'it did not go through.';
}

/**
 * A tool call in plain words for the front desk: what it is doing from its arguments
 * while running, the outcome (the receptionist's `say` where that is meant for people)
 * when it finished, and "Could not …" when it failed.
 */
export function describeTool(call: Pick<ToolCallRecord, 'name' | 'arguments' | 'result' | 'status'>): ToolDescription {
  const args = obj(call.arguments);
  const result = obj(call.result);
  const words = TOOLS[call.name];
  const readable = call.name.replace(/_/g, ' ');
  if (call.status === 'running') return { tone: 'running', text: words ? words.running(args) : `Running ${readable}…` };
  const verb = words ? words.failVerb(args) : `run ${readable}`;
  if (call.status === 'error') {
    const why = str(result, 'message') || str(result, 'error').replace(/_/g, ' ');
    return { tone: 'error', text: `Could not ${verb}${why ? `: ${sentence(why)}` : '.'}` };
  }
  if (result.done === false) return { tone: 'error', text: `Could not ${verb}: ${notDoneReason(result)}` };
  const custom = words?.ok?.(args, result);
  if (custom) return { tone: 'ok', text: custom };
  const say = str(result, 'say');
  return { tone: 'ok', text: say ? sentence(say) : `${readable[0]?.toUpperCase() ?? ''}${readable.slice(1)} done.` };
}
