import { CallStore } from './calls.js';
import { openDatabase, type Db } from './db.js';
import { SettingsStore } from './settings.js';
import { SystemErrorStore } from './system-errors.js';
import { ToolCallStore } from './tool-calls.js';
import { TranscriptStore } from './transcripts.js';
import { VoicemailStore } from './voicemails.js';

/** Every table family behind one handle, opened once per engine. */
export class Store {
  readonly calls: CallStore;
  readonly transcripts: TranscriptStore;
  readonly toolCalls: ToolCallStore;
  readonly systemErrors: SystemErrorStore;
  readonly voicemails: VoicemailStore;
  readonly settings: SettingsStore;

  constructor(readonly db: Db) {
    this.calls = new CallStore(db);
    this.transcripts = new TranscriptStore(db);
    this.toolCalls = new ToolCallStore(db);
    this.systemErrors = new SystemErrorStore(db);
    this.voicemails = new VoicemailStore(db);
    this.settings = new SettingsStore(db);
  }

  static open(path: string): Store {
    return new Store(openDatabase(path));
  }

  /** A trivial query: proves the file is open and readable for the readiness check. */
  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
