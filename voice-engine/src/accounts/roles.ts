import type { HandlerName, Role } from '../contract.js';

/**
 * Who may call each handler, enforced by the engine on every call (the dashboard hiding a
 * button is only a courtesy). 'public': anyone who can reach the staff API (the sign-in
 * screen's needs). 'session': any signed-in person, even while their screen is locked.
 * Otherwise the roles that may, with an unlocked session; the API token counts as admin.
 * A handler missing from this table does not compile, and a test checks it at runtime too.
 */
export type HandlerRule = 'public' | 'session' | readonly Role[];

const ALL: readonly Role[] = ['admin', 'front_desk', 'view_only'];
const DESK: readonly Role[] = ['admin', 'front_desk'];
const ADMIN: readonly Role[] = ['admin'];

export const HANDLER_RULES: Record<HandlerName, HandlerRule> = {
  'health/ready': 'public',
  'session/state': 'public',
  'session/sign-in': 'public',
  'session/resume': 'public',
  'session/first-admin': 'public',
  'session/activity': 'session',
  'session/lock': 'session',
  'session/unlock': 'session',
  'session/sign-out': 'session',

  'live/list': ALL,
  'calls/list': ALL,
  'calls/get': ALL,
  'calls/search': ALL,
  'calls/figures': ALL,
  'clinic/get': ALL,
  'status/get': ALL,
  'setup/checklist': ALL,
  'calendar/status': ALL,

  'live/transfer': DESK,
  'live/hang-up': DESK,
  'calls/archive': DESK,
  'calls/flag': DESK,
  'appointments/list': DESK,
  'appointments/create': DESK,
  'appointments/move': DESK,
  'appointments/cancel': DESK,
  'appointments/update-details': DESK,
  'inbox/list': DESK,
  'inbox/resolve': DESK,
  'voicemails/audio': DESK,
  'recordings/audio': DESK,
  'sms/thread': DESK,
  'sms/take-over': DESK,
  'sms/hand-back': DESK,
  'sms/reply': DESK,

  'calls/export-csv': ADMIN,
  'clinic/update': ADMIN,
  'services/save': ADMIN,
  'services/retire': ADMIN,
  'providers/save': ADMIN,
  'providers/retire': ADMIN,
  'closures/add': ADMIN,
  'closures/remove': ADMIN,
  'calendar/connect-google': ADMIN,
  'calendar/disconnect-google': ADMIN,
  'logs/errors': ADMIN,
  'logs/tail': ADMIN,
  'settings/get': ADMIN,
  'settings/update': ADMIN,
  'backups/list': ADMIN,
  'backups/run': ADMIN,
  'backups/settings': ADMIN,
  'backups/update-settings': ADMIN,
  'backups/restore': ADMIN,
  'twilio/numbers': ADMIN,
  'twilio/connect-number': ADMIN,
  'twilio/disconnect-number': ADMIN,
  'twilio/self-test': ADMIN,
  'accounts/list': ADMIN,
  'accounts/create': ADMIN,
  'accounts/update': ADMIN,
  'accounts/reset-secret': ADMIN,
  'accounts/settings': ADMIN,
  'audit/list': ADMIN,
  'audit/export-csv': ADMIN,
  // A test call can book into the real diary, so it takes someone who may book.
  'testcall/start': DESK,
  'testcall/audio': DESK,
  'testcall/mark': DESK,
  'testcall/end': DESK,
};

export function allows(rule: HandlerRule, role: Role): boolean {
  return typeof rule !== 'string' && rule.includes(role);
}
