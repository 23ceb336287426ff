/**
 * The shapes the dashboard screens read and write, shared by the engine handlers
 * and the renderer through contract.ts. Phone numbers here are always masked.
 */
import type { CallOutcome, CallSummary, ReadinessCheck, Severity, TestCallDiary, ToolCallRecord, TranscriptLine } from './contract.js';

export interface CallSearchQuery {
  limit?: number;
  /** Keyset paging: calls with a lower id than this. */
  beforeId?: number;
  /** Epoch ms, inclusive start / exclusive end of the call's start time. */
  from?: number;
  to?: number;
  outcome?: CallOutcome;
  needsAction?: boolean;
  /** Only phone calls, or only text threads. */
  channel?: 'voice' | 'sms';
  /** From the after-call summary: the caller's intent, and whether someone needs to follow up. */
  intent?: CallIntent;
  summaryFollowUp?: boolean;
  /** From the after-call summary: how the caller came across. */
  sentiment?: CallSentiment;
  /** Digits of the caller's number (e.g. the last 4), or part of the patient's name. */
  caller?: string;
  /** Words that appear in the transcript (full-text search). */
  text?: string;
  /** false (default): only calls not archived; true: only archived calls. */
  archived?: boolean;
}

/** A call's cost and responsiveness, once it has ended. */
export interface CallFiguresView {
  tokens: { textIn: number; audioIn: number; cachedTextIn: number; cachedAudioIn: number; textOut: number; audioOut: number };
  openaiUsd: number;
  twilioUsd: number;
  costUsd: number;
  minutes: number;
  /** Every reply time: the caller finished speaking → the receptionist's first audio (ms). */
  replyMs: number[];
  bargeIns: number;
}

/** The clinic's figures for the Live calls screen: today's cost and reply times, the month's cost. */
export interface ClinicFiguresView {
  today: { calls: number; costUsd: number; replyP50Ms: number | null; replyP95Ms: number | null };
  month: { calls: number; costUsd: number };
}

export type CallIntent = 'book' | 'reschedule' | 'cancel' | 'question' | 'message' | 'urgent' | 'other';
export type CallSentiment = 'positive' | 'neutral' | 'negative';

/**
 * What a conversation leaves for the front desk, made after it ends. Only 'done' carries
 * values; 'pending' is being made, 'failed' could not be (why in `detail`), 'skipped' had
 * nothing to summarise. No value is ever filled in for one that was not made.
 */
export interface AfterCallSummary {
  state: 'pending' | 'done' | 'failed' | 'skipped';
  summary: string | null;
  intent: CallIntent | null;
  sentiment: CallSentiment | null;
  /** 1 (very unhappy) to 10 (delighted). */
  satisfaction: number | null;
  followUp: boolean | null;
  followUpReason: string | null;
  detail: string | null;
  updatedAt: number;
}

/** A text thread as staff see it (the patient's number stays masked on the call). */
export interface SmsThreadView {
  callId: number;
  /** Staff have it: the assistant does not answer until it is handed back. */
  takenOver: boolean;
  /** The number replied STOP: nothing can be texted to it until START. */
  optedOut: boolean;
  messages: Array<{ id: number; direction: 'inbound' | 'outbound'; author: 'patient' | 'assistant' | 'staff' | 'clinic'; body: string; status: string; at: number }>;
}

export interface CallSearchResult {
  calls: CallSummary[];
  /** For "load more": pass as beforeId. Null when there is nothing further. */
  nextBeforeId: number | null;
}

/** What the receptionist is doing on a live call right now. */
export type LiveCallState = 'greeting' | 'listening' | 'speaking' | 'tool';

export interface LiveCallView {
  call: CallSummary;
  callerName: string | null;
  state: LiveCallState;
  transcript: TranscriptLine[];
  toolCalls: ToolCallRecord[];
}

export interface AppointmentView {
  id: number;
  start: number;
  end: number;
  providerId: number;
  providerName: string;
  serviceId: number;
  serviceName: string;
  patientName: string;
  patientPhoneMasked: string;
  status: 'booked' | 'cancelled';
  bookedByCallId: number | null;
  /** The patient's intake details, for staff (the receptionist never reads them back in full). */
  patientId: number;
  patientDateOfBirth: string | null;
  patientEmail: string | null;
  insuranceCarrier: string | null;
  insuranceMemberId: string | null;
  visitReason: string | null;
  /** When the patient confirmed it by replying "C" to a reminder; null until then (and after a move). */
  confirmedAt: number | null;
  /** Booked in a test call from the dashboard: into the real diary, or the sandbox (which no real caller sees); null when real. */
  testCall: TestCallDiary | null;
}

/** A staff edit of an appointment's patient details and reason for the visit; absent fields stay as they are. */
export interface AppointmentDetailsUpdate {
  id: number;
  visitReason?: string;
  patient?: { name?: string; phone?: string; dateOfBirth?: string; email?: string; insuranceCarrier?: string; insuranceMemberId?: string };
}

export type InboxKind = 'message' | 'voicemail' | 'flagged_call';

export interface InboxItem {
  kind: InboxKind;
  id: number;
  callId: number | null;
  title: string;
  detail: string;
  urgency: 'low' | 'normal' | 'urgent';
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  /** A voicemail whose recording is on this PC: `voicemails/audio` plays it. */
  hasAudio?: boolean;
}

export interface LogLine {
  at: number;
  level: 'error' | 'warn' | 'info' | 'debug';
  scope: string;
  text: string;
}

/** Secrets appear only as "set" or "not set": their values never leave the engine. */
export interface EngineSettingsView {
  telephony: {
    twilioAccountSid: string | null;
    twilioAuthTokenSet: boolean;
    twilioNumber: string | null;
    publicBaseUrl: string | null;
    transferNumber: string | null;
  };
  openai: { apiKeySet: boolean; model: string };
  retention: { transcriptDays: number | null };
}

export interface EngineSettingsUpdate {
  telephony?: {
    twilioAccountSid?: string;
    /** Write-only. */
    twilioAuthToken?: string;
    twilioNumber?: string;
    publicBaseUrl?: string;
    transferNumber?: string;
  };
  openai?: { /** Write-only. */ apiKey?: string; model?: string };
  retention?: { transcriptDays: number | null };
}

export interface StatusView {
  engine: ReadinessCheck;
  openai: ReadinessCheck;
  twilio: ReadinessCheck;
  google: { connected: boolean; available: boolean };
  publicUrl: { url: string | null; reachable: boolean | null };
  lastBackupAt: number | null;
  /** The disk: null while records and backups are being written; otherwise what is wrong, in one line. */
  storageProblem: string | null;
  callsToday: number;
  /** The number Deskline configured at Twilio, checked every few minutes; null when none is. */
  phoneLine?: PhoneLineStatus | null;
}

/** One of the Twilio account's numbers, as Settings → Phone lists them. */
export interface PhoneNumberView {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  smsUrl: string | null;
  /** Deskline configured it (and remembers how it was before). */
  connected: boolean;
  /** Its voice, status and SMS URLs are this PC's public URL. */
  pointsHere: boolean;
  /** The connected number's fallback at Twilio (a Studio flow) for when this PC does not answer: who it rings, or null for a voicemail. */
  fallback: { dials: string | null } | null;
}

/** One step of the phone line's self-test, in words. */
export interface LineCheck {
  name: string;
  ok: boolean;
  words: string;
}

/** The connected number, as last checked at Twilio. */
export interface PhoneLineStatus {
  phoneNumber: string;
  pointsHere: boolean;
  problem: string | null;
}

export interface ChecklistItem {
  key: 'clinic' | 'hours' | 'service' | 'openai' | 'testCall' | 'twilio' | 'publicUrl' | 'number';
  label: string;
  done: boolean;
  detail: string;
  /** Worth doing, but live calls are answered without it (the test call). */
  optional?: boolean;
}

export interface CalendarStatus {
  backend: 'local' | 'google';
  /** GOOGLE_CLIENT_ID is set, so Google Calendar can be connected. */
  googleAvailable: boolean;
  /** A connect flow is waiting for the clinic to approve access in the browser. */
  connecting: boolean;
  lastError: string | null;
}

/** A verified copy of the database in `<data dir>/backups`. */
export interface BackupRecord {
  file: string;
  at: number;
  bytes: number;
  /** Encrypted with the clinic's backup key (AES-256-GCM): unreadable without it. */
  encrypted?: boolean;
}

/** How backups are taken: how often, and the optional second folder each copy also goes to. */
export interface BackupSettingsView {
  everyHours: number;
  /** A USB drive or network share; null for none. */
  secondDir: string | null;
  /** New backups are encrypted with the clinic's backup key. */
  encrypt: boolean;
  /** Only in the reply that turned encryption on: the key, to print and keep. Never shown again. */
  recoveryKey?: string;
}

/** What a restore did: the backup put back, where the replaced database went, rows per table. */
export interface RestoreView {
  restoredFrom: string;
  safetyCopy: string | null;
  schemaFrom: number;
  schemaTo: number;
  rows: Record<string, number>;
}

export interface Faq {
  id: number;
  question: string;
  answer: string;
}

export type { Severity };
