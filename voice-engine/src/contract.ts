/**
 * The one contract between the engine and every UI: handler names with their
 * argument and result types, and event names with their payloads. Transports
 * (HTTP, loopback WebSocket, Electron MessagePort, in-memory) carry these and
 * nothing else, so the same renderer code runs over any of them.
 */

import type { AfterHoursSettings, ClinicKnowledge, ClinicProfile, IdentitySettings, IntakeSettings, Language, LanguageSettings, Policy, ReceptionistSettings, SafetySettings, PricingSettings, TextingSettings, TransferConnect, TransferSettings, UrgentSituation, VoicemailSettings, RecordingSettings, RecordingConsent } from './clinic/knowledge.js';
import type { Provider, SchedulingRules, Service, WeeklyHours } from './scheduling/types.js';
import type { AccountSettingsView, AuditChainView, AuditEntryView, AuditQuery, Role, SecretKind, SessionView, SignInResult, StaffAccountView } from './contract-accounts.js';
import type {
  AppointmentDetailsUpdate,
  AppointmentView,
  BackupRecord,
  RestoreView,
  BackupSettingsView,
  CalendarStatus,
  CallSearchQuery,
  CallSearchResult,
  ChecklistItem,
  EngineSettingsUpdate,
  EngineSettingsView,
  InboxItem,
  InboxKind,
  LiveCallState,
  LiveCallView,
  LogLine,
  AfterCallSummary,
  CallFiguresView,
  ClinicFiguresView,
  SmsThreadView,
  PhoneNumberView,
  LineCheck,
  StatusView,
} from './contract-views.js';

export type * from './contract-views.js';

export type { AccountSettingsView, AuditChainView, AuditEntryView, AuditQuery, Role, SecretKind, SessionView, SignInResult, StaffAccountView } from './contract-accounts.js';
export type { AfterHoursSettings, CalendarStatus, ClinicKnowledge, IntakeSettings, PricingSettings, VoicemailSettings, RecordingSettings, RecordingConsent, TextingSettings, TransferConnect, TransferSettings, Language, LanguageSettings, ClinicProfile, IdentitySettings, Policy, ReceptionistSettings, SafetySettings, UrgentSituation, Provider, SchedulingRules, Service, WeeklyHours };

export type CallStatus = 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';
export type Speaker = 'caller' | 'receptionist';
export type ToolCallStatus = 'running' | 'ok' | 'error';
export type FallbackKind = 'transfer' | 'voicemail';
export type Severity = 'info' | 'warning' | 'error' | 'critical';
export type CallOutcome = 'booked' | 'rescheduled' | 'cancelled' | 'message_taken' | 'transferred' | 'info_only' | 'abandoned' | 'failed';

export interface CallSummary {
  id: number;
  callSid: string;
  /** Masked to its last 4 digits: the UI never needs the full number to glance at a call. */
  fromMasked: string;
  status: CallStatus;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  durationS: number | null;
  needsAction: boolean;
  fallback: FallbackKind | null;
  /** Set when the call ends. */
  outcome: CallOutcome | null;
  archived: boolean;
  /** Set when the caller described a possible emergency ('emergency') or one of the clinic's urgent situations (its description). */
  urgent: string | null;
  /** A phone call, or a patient's text thread (one per phone number). */
  channel: CallChannel;
  /** A test call from the dashboard, and the diary it books into; null for a real call. Left out of the clinic's figures. */
  testCall: TestCallDiary | null;
}

/** Where a test call's bookings go: the clinic's real diary (marked as test), or a sandbox no real caller sees. */
export type TestCallDiary = 'real_diary' | 'sandbox';

export type CallChannel = 'voice' | 'sms';

export interface TranscriptLine {
  id: number;
  callId: number;
  speaker: Speaker;
  text: string;
  /** The caller talked over this line, so they heard only part of it. */
  interrupted: boolean;
  spokenAt: number;
}

export interface ToolCallRecord {
  id: number;
  callId: number;
  name: string;
  arguments: unknown;
  result: unknown;
  status: ToolCallStatus;
  startedAt: number;
  finishedAt: number | null;
}

export interface SystemErrorRecord {
  id: number;
  type: string;
  severity: Severity;
  callId: number | null;
  message: string;
  stack: string | null;
  occurredAt: number;
}

export interface VoicemailRecord {
  id: number;
  callId: number;
  recordingSid: string;
  recordingUrl: string;
  durationS: number | null;
  receivedAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  /** The recording is in the data folder and plays from the engine (GET /api/voicemails/:id/audio). */
  onThisPc: boolean;
  /** What was said, for the Inbox preview; null until transcribed. */
  transcript: string | null;
  /** 'pending' while it is being brought onto the PC, 'failed' once tries ran out (why in fetchDetail). */
  fetchState: 'pending' | 'saved' | 'failed';
  fetchDetail: string | null;
}

export interface CallDetail extends CallSummary {
  transcript: TranscriptLine[];
  toolCalls: ToolCallRecord[];
  errors: SystemErrorRecord[];
  voicemails: VoicemailRecord[];
  /** The after-call summary; null for a call still on the line (or from before summaries existed). */
  summary: AfterCallSummary | null;
  /** Cost and reply times; null while the call is on the line. */
  figures: CallFiguresView | null;
  /** The call's recording (Settings → Recording), played with `recordings/audio`; null when it was not recorded. */
  recording: CallRecordingView | null;
}

export interface CallRecordingView {
  durationMs: number;
  /** False while the call is still being recorded (or the engine stopped mid-call). */
  finished: boolean;
}

export interface ReadinessCheck {
  ready: boolean;
  reason?: string;
}

export interface Readiness {
  ready: boolean;
  checks: {
    database: ReadinessCheck;
    openai: ReadinessCheck;
    twilio: ReadinessCheck;
    publicUrl: ReadinessCheck;
  };
}

export interface CallListQuery {
  limit?: number;
  /** Keyset paging: only calls with an id below this. */
  beforeId?: number;
}

export interface ClinicUpdate {
  profile?: Partial<ClinicProfile>;
  hours?: WeeklyHours;
  rules?: Omit<SchedulingRules, 'timezone'>;
  policies?: Policy[];
  faqs?: Array<{ question: string; answer: string }>;
  receptionist?: Partial<Omit<ReceptionistSettings, 'defaultGreeting'>>;
  safety?: Partial<SafetySettings>;
  identity?: Partial<IdentitySettings>;
  afterHours?: Partial<AfterHoursSettings>;
  languages?: Partial<LanguageSettings>;
  intake?: Partial<IntakeSettings>;
  transfers?: Partial<TransferSettings>;
  texting?: Partial<TextingSettings>;
  pricing?: Partial<PricingSettings>;
  voicemail?: Partial<VoicemailSettings>;
  recording?: Partial<RecordingSettings>;
}

/** Handler name -> (args) => result. Names are `feature/verb`. */
export interface Handlers {
  'calls/list': (args: CallListQuery) => CallSummary[];
  'calls/get': (args: { id: number }) => CallDetail;
  /** Today's calls, cost and reply times (p50/p95), and the month's cost, in the clinic's time zone. */
  'calls/figures': (args: Record<string, never>) => ClinicFiguresView;
  'health/ready': (args: Record<string, never>) => Readiness;
  'clinic/get': (args: Record<string, never>) => ClinicKnowledge;
  'clinic/update': (args: ClinicUpdate) => ClinicKnowledge;
  'services/save': (args: Omit<Service, 'id'> & { id?: number }) => Service;
  'services/retire': (args: { id: number }) => void;
  'providers/save': (args: Omit<Provider, 'id'> & { id?: number }) => Provider;
  'providers/retire': (args: { id: number }) => void;
  'closures/add': (args: { startDate: string; endDate?: string; reason?: string }) => { id: number };
  'closures/remove': (args: { id: number }) => void;
  'calendar/status': (args: Record<string, never>) => CalendarStatus;
  'calendar/connect-google': (args: Record<string, never>) => { authUrl: string };
  'calendar/disconnect-google': (args: Record<string, never>) => CalendarStatus;
  'calls/search': (args: CallSearchQuery) => CallSearchResult;
  'calls/export-csv': (args: CallSearchQuery) => { filename: string; csv: string };
  'calls/archive': (args: { id: number; archived: boolean }) => CallSummary;
  'calls/flag': (args: { id: number; needsAction: boolean }) => CallSummary;
  'live/list': (args: Record<string, never>) => LiveCallView[];
  'live/transfer': (args: { callSid: string; to?: string }) => void;
  'live/hang-up': (args: { callSid: string }) => void;
  'appointments/list': (args: { from: number; to: number }) => AppointmentView[];
  'appointments/create': (args: { serviceId: number; providerId: number; start: number; patientName: string; patientPhone: string }) => AppointmentView;
  'appointments/move': (args: { id: number; start: number; providerId?: number }) => AppointmentView;
  'appointments/cancel': (args: { id: number }) => void;
  'appointments/update-details': (args: AppointmentDetailsUpdate) => AppointmentView;
  'inbox/list': (args: { includeResolved?: boolean }) => InboxItem[];
  /** Resolved by the signed-in person. */
  'inbox/resolve': (args: { kind: InboxKind; id: number }) => InboxItem;
  'logs/errors': (args: { type?: string; severity?: Severity; limit?: number }) => SystemErrorRecord[];
  'logs/tail': (args: { level?: LogLine['level']; limit?: number }) => LogLine[];
  'settings/get': (args: Record<string, never>) => EngineSettingsView;
  'settings/update': (args: EngineSettingsUpdate) => EngineSettingsView;
  'status/get': (args: Record<string, never>) => StatusView;
  'setup/checklist': (args: Record<string, never>) => ChecklistItem[];
  'backups/list': (args: Record<string, never>) => BackupRecord[];
  'backups/run': (args: Record<string, never>) => BackupRecord;
  'backups/settings': (args: Record<string, never>) => BackupSettingsView;
  'backups/update-settings': (args: { everyHours?: number; secondDir?: string | null; encrypt?: boolean }) => BackupSettingsView;
  /** Puts a listed backup back while Deskline runs; answering is paused meanwhile. */
  'backups/restore': (args: { file: string }) => RestoreView;
  /** A voicemail's recording from the data folder (WAV, base64), played in the dashboard without Twilio. */
  'voicemails/audio': (args: { id: number }) => { mime: string; base64: string };
  /** A call's recording from the data folder (stereo WAV: the caller left, the receptionist right), base64. */
  'recordings/audio': (args: { callId: number }) => { mime: string; base64: string };
  'sms/thread': (args: { callId: number }) => SmsThreadView;
  /** The Twilio account's phone numbers (Settings → Phone). */
  'twilio/numbers': (args: Record<string, never>) => PhoneNumberView[];
  /** Points a number's voice, status and SMS URLs at this PC; says what changed. */
  'twilio/connect-number': (args: { sid: string }) => { number: PhoneNumberView; changed: Array<{ field: string; before: string | null; after: string }> };
  /** Checks, in words, whether calls can reach this PC: the account, the public address through the tunnel, the number. */
  'twilio/self-test': (args: Record<string, never>) => LineCheck[];
  /** Puts the connected number back as it was before Deskline. */
  'twilio/disconnect-number': (args: Record<string, never>) => PhoneNumberView;
  /** Staff take the thread: the assistant stays quiet on it until it is handed back. */
  'sms/take-over': (args: { callId: number }) => SmsThreadView;
  'sms/hand-back': (args: { callId: number }) => SmsThreadView;
  /** A text from staff, by hand, on a thread they have taken over. */
  'sms/reply': (args: { callId: number; body: string }) => SmsThreadView;
  /** This connection's person and lock; public, so the sign-in screen can show who may sign in. */
  'session/state': (args: Record<string, never>) => SessionView;
  'session/sign-in': (args: { accountId: number; secret: string }) => SignInResult;
  /** After a reload or reconnect: the session this dashboard already had (still locked if it was). */
  'session/resume': (args: { token: string }) => SessionView;
  /** First run only (no admin yet): creates the first admin and signs them in. */
  'session/first-admin': (args: { name: string; secretKind: SecretKind; secret: string }) => SignInResult;
  /** The person is using the dashboard (sent now and then on input): the idle lock starts again. */
  'session/activity': (args: Record<string, never>) => SessionView;
  'session/lock': (args: Record<string, never>) => SessionView;
  'session/unlock': (args: { secret: string }) => SessionView;
  'session/sign-out': (args: Record<string, never>) => SessionView;
  'accounts/list': (args: Record<string, never>) => StaffAccountView[];
  'accounts/create': (args: { name: string; role: Role; secretKind: SecretKind; secret: string }) => StaffAccountView;
  'accounts/update': (args: { id: number; name?: string; role?: Role; disabled?: boolean }) => StaffAccountView;
  /** An admin sets a new PIN or password; the account's sessions end. */
  'accounts/reset-secret': (args: { id: number; secretKind: SecretKind; secret: string }) => StaffAccountView;
  'accounts/settings': (args: { idleLockMinutes?: number; auditRetentionDays?: number }) => AccountSettingsView;
  'audit/list': (args: AuditQuery) => { entries: AuditEntryView[]; nextBeforeId: number | null; chain: AuditChainView };
  'audit/export-csv': (args: AuditQuery) => { filename: string; csv: string };
  /**
   * "Talk to the receptionist": a call from this dashboard's microphone, through the same call
   * path as a phone call, marked as a test everywhere. Needs a live connection (WebSocket or
   * the desktop window's port): the receptionist's audio comes back as `testcall.*` events to it alone.
   */
  'testcall/start': (args: { diary: TestCallDiary }) => { callId: number };
  /** The microphone: base64 8 kHz μ-law, whole 20 ms frames (160 bytes each), at most 500 ms per message. */
  'testcall/audio': (args: { callId: number; payload: string }) => void;
  /** The dashboard played the receptionist's audio up to this mark (as Twilio echoes a mark). */
  'testcall/mark': (args: { callId: number; name: string }) => void;
  /** The person at the dashboard hung up. */
  'testcall/end': (args: { callId: number }) => void;
}

/** Event name -> payload, pushed from the engine to every subscribed UI. */
export interface Events {
  'call.started': CallSummary;
  'call.updated': CallSummary;
  'transcript.line': TranscriptLine;
  'tool.called': ToolCallRecord;
  'call.ended': CallSummary;
  /** A call just became urgent: the dashboard sounds an alert. */
  'call.urgent': { callId: number; situation: string; at: number };
  'live.state': { callId: number; state: LiveCallState };
  'inbox.changed': Record<string, never>;
  'log.line': LogLine;
  /** This connection's session changed (signed in or out, locked, unlocked); sent to that connection only. */
  'session.changed': SessionView;
  /** How many calls are on the line: the one thing a locked screen is told. */
  'calls.in-progress': { count: number };
  /** A test call's receptionist audio (base64 8 kHz μ-law); `testcall.*` go only to the connection that started the call. */
  'testcall.audio': { callId: number; payload: string };
  /** Echo this name with `testcall/mark` once everything before it has played. */
  'testcall.mark': { callId: number; name: string };
  /** The caller talked over the receptionist: drop what has not played yet, and echo the marks still waiting. */
  'testcall.clear': { callId: number };
  /** The test call is over; `reason` says how, in words ("In a real call, the caller would now be put through to the front desk."). */
  'testcall.ended': { callId: number; reason: string };
}

export type HandlerName = keyof Handlers;
export type EventName = keyof Events;
export type HandlerArgs<N extends HandlerName> = Parameters<Handlers[N]>[0];
export type HandlerResult<N extends HandlerName> = ReturnType<Handlers[N]>;

/** SIGNED_OUT: no one is signed in on this connection; LOCKED: the screen is locked; FORBIDDEN: the role may not. */
export type ErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'UNKNOWN_HANDLER' | 'INTERNAL' | 'SIGNED_OUT' | 'LOCKED' | 'FORBIDDEN';

/** Errors never cross a process boundary as throws: every reply is one of these. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export type EventEnvelope = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];
