import { loadTwilioApis } from './twilio/sdk-warmup.js';
import { registerAppointmentHandlers } from './api/appointment-handlers.js';
import { registerCallLogHandlers } from './api/call-log-handlers.js';
import { applyKeptSecrets, registerEngineSettingsHandlers } from './api/engine-settings-handlers.js';
import { registerInboxHandlers } from './api/inbox-handlers.js';
import { registerLiveHandlers } from './api/live-handlers.js';
import { registerTestCallHandlers } from './api/test-call-handlers.js';
import { TestCalls } from './test-call/test-calls.js';
import { registerLogHandlers } from './api/log-handlers.js';
import { registerStatusHandlers } from './api/status-handlers.js';
import { mkdirSync } from 'node:fs';
import { registerCallHandlers } from './api/calls-handlers.js';
import { registerClinicHandlers } from './api/clinic-handlers.js';
import { WarmTransfers } from './transfer/warm-transfers.js';
import { SmsOutbox } from './sms/sms-outbox.js';
import { SmsAssistant } from './sms/sms-assistant.js';
import { SmsWebhooks } from './sms/sms-webhooks.js';
import { registerSmsHandlers } from './api/sms-handlers.js';
import { scheduleTextJobs } from './jobs/text-jobs.js';
import { scheduleSummaries } from './jobs/summaries.js';
import { scheduleVoicemailKeeper } from './voicemail/voicemail-keeper.js';
import { scheduleMissedVoicemails } from './voicemail/missed-voicemails.js';
import { planAppointmentTexts } from './sms/appointment-texts.js';
import { queueMissedCallText } from './sms/missed-call.js';
import { TransferWebhooks } from './transfer/transfer-webhooks.js';
import { registerCalendarHandlers } from './api/calendar-handlers.js';
import { registerHealthHandlers } from './api/health-handlers.js';
import { HandlerRegistry } from './api/registry.js';
import { FallbackService } from './call/fallback.js';
import { LiveCalls } from './call/live-calls.js';
import { reconcileCutCalls } from './call/reconcile.js';
import { scheduleRetention } from './jobs/retention.js';
import { scheduleThreadSummaries } from './jobs/thread-summaries.js';
import { AuditTrail } from './accounts/audit-trail.js';
import { registerAccountHandlers } from './accounts/account-handlers.js';
import { SessionService } from './accounts/session-service.js';
import { StaffGate } from './accounts/staff-gate.js';
import { HANDLER_RULES } from './accounts/roles.js';
import { NumberSetup } from './twilio/number-setup.js';
import { schedulePhoneLineWatch } from './jobs/phone-line-watch.js';
import { registerPhoneNumberHandlers } from './api/phone-number-handlers.js';
import { selfTestLine } from './twilio/line-self-test.js';
import { scheduleBackups } from './jobs/backups.js';
import { registerRestoreHandler } from './jobs/restore-handler.js';
import { registerBackupSettingsHandlers } from './api/backup-settings-handlers.js';
import { scheduleSearchSealing } from './jobs/search-sealing.js';
import { scheduleHelperThreadPriority } from './threads/helper-thread-priority.js';
import { WorkerStorageWriter, type StorageWriter } from './store/writer/storage-writer.js';
import type { StorageThreadData } from './store/writer/protocol.js';
import { ToolRegistry } from './call/tools.js';
import { databasePath, loadConfig, missingForCalls, resolveDataDir, type EngineConfig } from './config.js';
import { EngineEvents } from './events.js';
import { PublicServer } from './http/public-server.js';
import { StaffServer } from './http/staff-server.js';
import { configureLogging, createLogger, registerSecret } from './log.js';
import { Store } from './store/index.js';
import { loadGoogleCalendarConfig } from './calendar/google/google-config.js';
import { GoogleTokenStore } from './calendar/google/google-token-store.js';
import { registerReceptionistTools } from './receptionist/index.js';
import { SealedSettingsKeeper, type SecretKeeper, type SecretName, type ShellKeeper } from './secrets/keeper.js';
import { FileKeyProvider, SecretVault } from './secrets/vault.js';
import { TwilioCallControl } from './twilio/call-control.js';
import { twilioClientProvider } from './twilio/rest.js';
import { twilioTextSender } from './sms/text-sender.js';
import { TwilioWebhooks } from './twilio/webhooks.js';
import { guardProcess } from './process-guard.js';
import { EngineMetrics } from './metrics/engine-metrics.js';
import { StorageHealth } from './health/storage-health.js';
import { timedWriter } from './metrics/timed-writer.js';

export interface RunningEngine {
  config: EngineConfig;
  publicPort: number;
  dashboardPort: number;
  handlers: HandlerRegistry;
  /** Every dashboard request goes through it: who is asking, their role, the audit log. */
  gate: StaffGate;
  events: EngineEvents;
  tools: ToolRegistry;
  /** A one-time link that signs a browser in to the dashboard. */
  loginUrl(): string;
  liveCallCount(): number;
  /** Pause answering: new calls go straight to the fallback (transfer or voicemail). */
  setPaused(paused: boolean): void;
  /** Secrets the desktop shell keeps in the OS keychain, handed over after each start (null: none held). */
  applySecrets(values: Partial<Record<SecretName, string | null>>): void;
  stop(): Promise<void>;
}

/**
 * Builds and starts the whole engine from configuration: the same composition runs
 * headless under Node and inside Electron's utility process.
 */
export interface EngineOptions {
  /** Shows a person at the PC a fresh one-time dashboard login link (headless mode prints it). */
  announceLoginUrl?: (url: string) => void;
  /** Where secrets entered while running are kept; headless seals them into the database. */
  secrets?: ShellKeeper;
  /** Builds the storage writer (default: the storage thread). The bench injects a slow disk here. */
  storage?: (data: StorageThreadData) => StorageWriter;
}

export async function startEngine(env: Record<string, string | undefined> = process.env, options: EngineOptions = {}): Promise<RunningEngine> {
  const dataDir = resolveDataDir(env);
  mkdirSync(dataDir, { recursive: true });
  // In development the desktop app points at a better-sqlite3 build for Electron's ABI.
  // The event loop's connection does not wait for the disk; what must be on disk before anyone
  // is told (lines, bookings) is synced by the storage thread.
  const store = Store.open(databasePath(dataDir), env.DESKLINE_SQLITE_BINDING || undefined, 'deferred');
  let config: EngineConfig;
  try {
    config = loadConfig(env, store.settings);
  } catch (err) {
    store.close();
    throw err;
  }
  for (const secret of [config.openai.apiKey, config.twilio.authToken, config.dashboardToken]) registerSecret(secret);
  configureLogging({ level: config.logLevel, logDir: config.logDir });
  const log = createLogger('engine');
  const keeper: SecretKeeper = options.secrets ?? new SealedSettingsKeeper(store.settings, new SecretVault(new FileKeyProvider(config.dataDir)));
  applyKeptSecrets(config, keeper);
  for (const line of missingForCalls(config)) log.warn(line);

  const nativeBinding = env.DESKLINE_SQLITE_BINDING || undefined;
  let lastBackupAt = (): number | null => null;
  let liveCallCount = () => 0;
  const metrics = new EngineMetrics({ liveCalls: () => liveCallCount(), lastBackupAt: () => lastBackupAt() });
  store.systemErrors.observe((e) => metrics.errors.inc({ type: e.type, severity: e.severity }));
  const writer = timedWriter(
    (options.storage ?? ((data) => new WorkerStorageWriter(data)))({ dbPath: config.dbPath, ...(nativeBinding ? { nativeBinding } : {}) }),
    metrics.storageWrite,
  );
  const storageHealth = new StorageHealth();
  const events = new EngineEvents();
  events.subscribe((e) => {
    if (e.event === 'call.ended') metrics.callsEnded.inc({ outcome: e.payload.outcome ?? 'none' });
  });
  const tools = new ToolRegistry();
  const rest = twilioClientProvider(() => config.twilio);
  const fallback = new FallbackService(config, rest, store, events, createLogger('fallback'), (reason) => metrics.fallbacks.inc({ reason }));
  const control = new TwilioCallControl(rest, () => fallback.urls());
  const transfers = new WarmTransfers();
  const callDeps = { config, store, writer, events, tools, fallback, control, log: createLogger('call'), metrics, storageHealth, transfers };
  const liveCalls = new LiveCalls(callDeps);
  const testCalls = new TestCalls({ callDeps, liveCalls, store, events, log: createLogger('test-call') });
  liveCallCount = () => liveCalls.size;
  let afterCall = (_callId: number): void => undefined;
  const webhooks = new TwilioWebhooks(config, store, events, liveCalls, fallback, createLogger('twilio'), transfers, (callId) => afterCall(callId));
  const transferWebhooks = new TransferWebhooks(store, transfers, () => fallback.urls(), createLogger('transfer'));

  const google = { config: loadGoogleCalendarConfig(env), tokens: new GoogleTokenStore(keeper) };
  const bookings = registerReceptionistTools({ store, events, tools, transferNumber: () => config.transferNumber, google, log: createLogger('receptionist'), durable: () => writer.sync(), sendText: twilioTextSender(rest, (phone) => store.sms.isOptedOut(phone)) });
  const outbox = new SmsOutbox({
    store,
    writer,
    events,
    rest,
    statusCallbackUrl: () => (config.publicBaseUrl ? `${config.publicBaseUrl.origin}/twilio/sms-status` : null),
    log: createLogger('sms'),
    storageHealth,
  });
  const assistant = new SmsAssistant({ config, store, tools, events, outbox, log: createLogger('sms') });
  const smsWebhooks = new SmsWebhooks({ store, writer, events, outbox, assist: (thread, note) => assistant.handle(thread, note), log: createLogger('sms'), storageHealth });

  const handlers = new HandlerRegistry();
  registerCallHandlers(handlers, store);
  registerHealthHandlers(handlers, config, store);
  registerClinicHandlers(handlers, store);
  registerCalendarHandlers(handlers, google, createLogger('calendar'));
  registerCallLogHandlers(handlers, store, events);
  registerLiveHandlers(handlers, { store, liveCalls, control, config, transfers, testCalls });
  registerTestCallHandlers(handlers, testCalls);
  registerSmsHandlers(handlers, { store, events, outbox });
  const audit = new AuditTrail(store);
  registerAccountHandlers(handlers, store, audit);
  // A handler nobody decided who may call is a bug caught here, at start, before anyone can reach it.
  const unruled = handlers.names().filter((name) => !(name in HANDLER_RULES));
  if (unruled.length > 0) throw new Error(`Handlers with no role rule (accounts/roles.ts): ${unruled.join(', ')}`);
  const gate = new StaffGate({ handlers, store, sessions: new SessionService(store, audit), audit, callsInProgress: () => liveCalls.size });
  registerInboxHandlers(handlers, store, events);
  registerAppointmentHandlers(handlers, store, bookings);
  registerLogHandlers(handlers, store, events);
  registerEngineSettingsHandlers(handlers, config, store, keeper);
  const backupKey = (): Buffer | null => {
    const hex = keeper.load('backupKey');
    return hex ? Buffer.from(hex, 'hex') : null;
  };
  const backups = scheduleBackups(store, writer, config.dataDir, createLogger('backup'), storageHealth, backupKey);
  lastBackupAt = () => backups.list()[0]?.at ?? null;
  const numberSetup = new NumberSetup({ rest, store, config });
  const phoneLine = schedulePhoneLineWatch(numberSetup, createLogger('twilio'), () => liveCalls.size > 0);
  registerPhoneNumberHandlers(handlers, numberSetup, () => phoneLine.checkNow(), () => selfTestLine({ config, rest, numbers: numberSetup }));
  registerStatusHandlers(handlers, { config, store, google, lastBackupAt: () => backups.list()[0]?.at ?? null, storageProblem: () => storageHealth.problem(), phoneLine: () => phoneLine.current() });
  handlers.register('backups/list', () => backups.list());
  handlers.register('backups/run', () => backups.runNow());
  registerBackupSettingsHandlers(handlers, store, keeper);
  registerRestoreHandler(handlers, {
    store,
    dbPath: config.dbPath,
    backupsDir: () => backups.dir,
    pause: (paused) => webhooks.setPaused(paused),
    isPaused: () => webhooks.isPaused,
    liveCalls: () => liveCalls.all().map((live) => live.call),
    thread: writer,
    dataDir: config.dataDir,
    decrypt: async (file, to) => {
      const key = backupKey();
      if (!key) throw new Error('This backup is encrypted and the backup key is not available.');
      await writer.decrypt(file, to, key);
    },
    log: createLogger('restore'),
  });

  const guardLog = createLogger('guard');
  const recordInternal = (type: string, where: string, error: Error) => {
    store.systemErrors.record({ type, severity: 'critical', callId: null, message: `${where}: ${error.message}`, stack: error.stack ?? null, occurredAt: Date.now() });
    guardLog.error(`${where}: ${error.message}`);
  };
  const onInternalError = (where: string, error: Error) => recordInternal('internal_error', where, error);
  const unguard = guardProcess(process, {
    record: (type, error) => recordInternal(type, 'process', error),
    log: (message) => guardLog.error(message),
    exit: (code) => process.exit(code),
  });
  const publicServer = new PublicServer(config, { ...webhooks.routes(), ...transferWebhooks.routes(), ...smsWebhooks.routes() }, liveCalls, createLogger('public'), onInternalError, metrics);
  const staffServer = new StaffServer(
    { port: config.dashboardPort, token: config.dashboardToken, announceLoginUrl: options.announceLoginUrl, onInternalError, metrics },
    gate,
    events,
    createLogger('staff'),
  );
  let publicPort: number;
  let dashboardPort: number;
  loadTwilioApis();
  try {
    publicPort = await publicServer.listen();
    dashboardPort = await staffServer.listen();
  } catch (err) {
    await publicServer.close().catch(() => undefined);
    await writer.close().catch(() => undefined);
    unguard();
    store.close();
    throw err;
  }
  log.info(`Public listener on ${config.publicHost}:${publicPort}; staff API on 127.0.0.1:${dashboardPort}`);
  const helperThreads = scheduleHelperThreadPriority(createLogger('threads'), () => liveCalls.size > 0);
  const retention = scheduleRetention(store, writer, createLogger('retention'));
  const sealing = scheduleSearchSealing(writer, createLogger('search'));
  const textJobs = scheduleTextJobs({ store, outbox, log: createLogger('texts') });
  const summaries = scheduleSummaries({ config, store, writer, events, log: createLogger('summaries') });
  const threadSummaries = scheduleThreadSummaries({ store, summaries, log: createLogger('summaries') });
  events.subscribe((e) => {
    if (e.event !== 'call.ended' || e.payload.channel !== 'voice') return;
    try {
      summaries.queue(e.payload.id);
    } catch (err) {
      recordInternal('summaries_failed', 'queueing a summary', err as Error);
    }
  });
  const voicemails = scheduleVoicemailKeeper({ config, store, events, rest, log: createLogger('voicemail') });
  const missedVoicemails = scheduleMissedVoicemails({ store, rest, log: createLogger('voicemail'), found: () => (voicemails.kick(), events.emit('inbox.changed', {})), lineBusy: () => liveCalls.size > 0 });
  afterCall = (callId) => {
    voicemails.kick();
    try {
      if (queueMissedCallText(store, callId, Date.now())) textJobs.kick();
    } catch (err) {
      recordInternal('text_planning_failed', 'missed-call text', err as Error);
    }
  };
  bookings.onChange((kind, appointment, knowledge, byCallId) => {
    // A test call's booking texts nobody: the number given in a test may be anyone's.
    if (appointment.testCall) return;
    try {
      planAppointmentTexts(store, knowledge, kind, appointment, Date.now(), byCallId);
      textJobs.kick();
    } catch (err) {
      recordInternal('text_planning_failed', 'appointment texts', err as Error);
    }
  });
  let reconciled = false;
  const reconcileOnce = () => {
    if (reconciled) return;
    reconciled = true;
    reconcileCutCalls({ store, rest, fallback, events, log: createLogger('reconcile') }).catch((err: Error) =>
      log.error(`Could not check for calls cut by the restart: ${err.message}`),
    );
  };
  // On the desktop the Twilio token arrives from the OS keychain after start; checking
  // before it has would find no credentials and leave cut-off callers in silence.
  if (!options.secrets) reconcileOnce();

  return {
    config,
    publicPort,
    dashboardPort,
    handlers,
    gate,
    events,
    tools,
    loginUrl: () => staffServer.loginUrl(),
    liveCallCount: () => liveCalls.size,
    setPaused: (paused) => webhooks.setPaused(paused),
    applySecrets(values) {
      options.secrets?.receive(values);
      for (const secret of Object.values(values)) registerSecret(secret);
      if (values.twilioAuthToken) config.twilio.authToken = values.twilioAuthToken;
      if (values.openaiApiKey) config.openai.apiKey = values.openaiApiKey;
      reconcileOnce();
    },
    async stop() {
      helperThreads.stop();
      retention.stop();
      sealing.stop();
      textJobs.stop();
      summaries.stop();
      threadSummaries.stop();
      phoneLine.stop();
      voicemails.stop();
      missedVoicemails.stop();
      backups.stop();
      liveCalls.shutdown();
      await Promise.all([publicServer.close(), staffServer.close()]);
      await writer.close();
      unguard();
      store.close();
    },
  };
}
