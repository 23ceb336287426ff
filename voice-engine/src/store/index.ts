import { AppointmentStore } from './appointments.js';
import { CallSearch } from './call-search.js';
import { SearchDocuments } from './search-documents.js';
import { CallStore } from './calls.js';
import { CallSupervisionStore } from './call-supervision.js';
import { ClinicStore } from './clinic.js';
import { openDatabase, type Db, type Durability } from './db.js';
import { MessageStore } from './messages.js';
import { PatientStore } from './patients.js';
import { SettingsStore } from './settings.js';
import { SystemErrorStore } from './system-errors.js';
import { ToolCallStore } from './tool-calls.js';
import { TranscriptStore } from './transcripts.js';
import { VoicemailStore } from './voicemails.js';
import { SmsStore } from './sms.js';
import { TextJobStore } from './text-jobs.js';
import { CallSummaryStore } from './call-summaries.js';
import { CallFiguresStore } from './call-figures.js';
import { RecordingStore } from './recordings.js';
import { StaffAccountStore } from './staff-accounts.js';
import { AuditLogStore } from './audit-log.js';

/** Every table family behind one handle, opened once per engine. */
export class Store {
  readonly calls: CallStore;
  readonly supervision: CallSupervisionStore;
  readonly transcripts: TranscriptStore;
  readonly toolCalls: ToolCallStore;
  readonly systemErrors: SystemErrorStore;
  readonly voicemails: VoicemailStore;
  readonly settings: SettingsStore;
  readonly clinic: ClinicStore;
  readonly patients: PatientStore;
  readonly appointments: AppointmentStore;
  readonly messages: MessageStore;
  readonly callSearch: CallSearch;
  readonly searchDocuments: SearchDocuments;
  readonly sms: SmsStore;
  readonly textJobs: TextJobStore;
  readonly summaries: CallSummaryStore;
  readonly figures: CallFiguresStore;
  readonly recordings: RecordingStore;
  readonly staff: StaffAccountStore;
  readonly audit: AuditLogStore;

  constructor(readonly db: Db) {
    this.calls = new CallStore(db);
    this.supervision = new CallSupervisionStore(db);
    this.transcripts = new TranscriptStore(db);
    this.toolCalls = new ToolCallStore(db);
    this.systemErrors = new SystemErrorStore(db);
    this.voicemails = new VoicemailStore(db);
    this.settings = new SettingsStore(db);
    this.clinic = new ClinicStore(db);
    this.patients = new PatientStore(db);
    this.appointments = new AppointmentStore(db);
    this.messages = new MessageStore(db);
    this.callSearch = new CallSearch(db);
    this.searchDocuments = new SearchDocuments(db);
    this.sms = new SmsStore(db);
    this.textJobs = new TextJobStore(db);
    this.summaries = new CallSummaryStore(db);
    this.figures = new CallFiguresStore(db);
    this.recordings = new RecordingStore(db);
    this.staff = new StaffAccountStore(db);
    this.audit = new AuditLogStore(db);
  }

  static open(path: string, nativeBinding?: string, durability: Durability = 'full'): Store {
    return new Store(openDatabase(path, nativeBinding, durability));
  }

  /** A trivial query: proves the file is open and readable for the readiness check. */
  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
