import { basename } from 'node:path';
import type { HandlerName } from '../contract.js';

export interface AuditEntry {
  action: string;
  target?: string;
  detail?: string;
}

type Describe = (args: Record<string, unknown>, value: unknown) => AuditEntry;

/** Which fields a settings change touched: names only, never a value (some are secrets). */
const fields = (args: Record<string, unknown>): string => {
  const names: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const inner of Object.keys(value)) names.push(`${key}.${inner}`);
    else names.push(key);
  }
  return names.join(', ') || '(nothing)';
};
const id = (what: string, key = 'id'): Describe => (a) => ({ action: '', target: `${what} ${String(a[key])}` });
const withAction = (action: string, d: Describe): Describe => (a, v) => ({ ...d(a, v), action });
const filters = (a: Record<string, unknown>) => {
  const used = Object.entries(a).filter(([k, v]) => v !== undefined && k !== 'limit' && k !== 'beforeId').map(([k]) => k);
  return used.length ? `filters: ${used.join(', ')}` : 'all calls';
};

/**
 * What the audit log says about each handler a person (or the API token) called
 * successfully. Handlers not listed here only read lists and counts; what reveals a
 * patient's words or voice, changes anything, or takes data out is listed.
 */
const AUDITED: Partial<Record<HandlerName, Describe>> = {
  'calls/get': withAction('view-transcript', id('call')),
  'recordings/audio': withAction('play-recording', id('call', 'callId')),
  'voicemails/audio': withAction('play-voicemail', id('voicemail')),
  'sms/thread': withAction('view-text-thread', id('call', 'callId')),
  'calls/export-csv': (a) => ({ action: 'export-calls', detail: filters(a) }),
  'audit/export-csv': (a) => ({ action: 'export-audit', detail: filters(a) }),
  'live/transfer': (a) => ({ action: 'transfer-call', target: `call ${String(a.callSid)}` }),
  'live/hang-up': (a) => ({ action: 'hang-up-call', target: `call ${String(a.callSid)}` }),
  'testcall/start': (a, v) => ({ action: 'test-call', target: `call ${String((v as { callId?: number } | null)?.callId)}`, detail: a.diary === 'sandbox' ? 'sandbox diary' : 'real diary' }),
  'calls/flag': (a) => ({ action: a.needsAction ? 'flag-call' : 'unflag-call', target: `call ${String(a.id)}` }),
  'calls/archive': (a) => ({ action: a.archived ? 'archive-call' : 'unarchive-call', target: `call ${String(a.id)}` }),
  'inbox/resolve': (a) => ({ action: 'resolve-inbox-item', target: `${String(a.kind)} ${String(a.id)}` }),
  'sms/take-over': withAction('take-over-text-thread', id('call', 'callId')),
  'sms/hand-back': withAction('hand-back-text-thread', id('call', 'callId')),
  'sms/reply': withAction('text-patient', id('call', 'callId')),
  'appointments/create': (_a, v) => ({ action: 'book-appointment', target: `appointment ${String((v as { id?: number } | null)?.id)}` }),
  'appointments/move': withAction('move-appointment', id('appointment')),
  'appointments/cancel': withAction('cancel-appointment', id('appointment')),
  'appointments/update-details': withAction('change-appointment-details', id('appointment')),
  'clinic/update': (a) => ({ action: 'change-settings', target: 'clinic', detail: fields(a) }),
  'settings/update': (a) => ({ action: 'change-settings', target: 'engine', detail: fields(a) }),
  'services/save': (a) => ({ action: 'change-settings', target: `service ${String(a.id ?? 'new')}` }),
  'services/retire': withAction('change-settings', id('service')),
  'providers/save': (a) => ({ action: 'change-settings', target: `provider ${String(a.id ?? 'new')}` }),
  'providers/retire': withAction('change-settings', id('provider')),
  'closures/add': () => ({ action: 'change-settings', target: 'closures' }),
  'closures/remove': withAction('change-settings', id('closure')),
  'calendar/connect-google': () => ({ action: 'change-settings', target: 'Google Calendar', detail: 'connect' }),
  'calendar/disconnect-google': () => ({ action: 'change-settings', target: 'Google Calendar', detail: 'disconnect' }),
  'backups/run': (_a, v) => ({ action: 'backup', target: basename(String((v as { file?: string } | null)?.file ?? '')) }),
  'backups/update-settings': (a) => ({ action: 'change-settings', target: 'backups', detail: fields(a) }),
  'backups/restore': (a) => ({ action: 'restore', target: basename(String(a.file)) }),
  'twilio/connect-number': (_a, v) => ({ action: 'change-settings', target: 'Twilio number', detail: `pointed ${String((v as { number?: { phoneNumber?: string } } | null)?.number?.phoneNumber)} at this PC` }),
  'twilio/disconnect-number': (_a, v) => ({ action: 'change-settings', target: 'Twilio number', detail: `put ${String((v as { phoneNumber?: string } | null)?.phoneNumber)} back as it was` }),
  'accounts/create': (a, v) => ({ action: 'account-created', target: `account ${String((v as { name?: string } | null)?.name)}`, detail: `role ${String(a.role)}` }),
  'accounts/update': (a, v) => ({ action: 'account-changed', target: `account ${String((v as { name?: string } | null)?.name)}`, detail: fields({ ...a, id: undefined }) }),
  'accounts/reset-secret': (_a, v) => ({ action: 'account-secret-reset', target: `account ${String((v as { name?: string } | null)?.name)}` }),
  'accounts/settings': (a) => ({ action: 'change-settings', target: 'accounts', detail: fields(a) }),
};

/** The handlers that leave an audit entry when they succeed. */
export const AUDITED_HANDLERS = Object.keys(AUDITED) as HandlerName[];

export function auditEntryFor(name: HandlerName, args: Record<string, unknown>, value: unknown): AuditEntry | null {
  const describe = AUDITED[name];
  return describe ? describe(args ?? {}, value) : null;
}
