import { mkdirSync } from 'node:fs';
import { registerCallHandlers } from './api/calls-handlers.js';
import { registerClinicHandlers } from './api/clinic-handlers.js';
import { registerCalendarHandlers } from './api/calendar-handlers.js';
import { registerHealthHandlers } from './api/health-handlers.js';
import { HandlerRegistry } from './api/registry.js';
import { FallbackService } from './call/fallback.js';
import { LiveCalls } from './call/live-calls.js';
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
import { FileKeyProvider, SecretVault } from './secrets/vault.js';
import { TwilioCallControl } from './twilio/call-control.js';
import { createTwilioRestClient } from './twilio/rest.js';
import { TwilioWebhooks } from './twilio/webhooks.js';

export interface RunningEngine {
  config: EngineConfig;
  publicPort: number;
  dashboardPort: number;
  handlers: HandlerRegistry;
  events: EngineEvents;
  tools: ToolRegistry;
  stop(): Promise<void>;
}

/**
 * Builds and starts the whole engine from configuration: the same composition runs
 * headless under Node and inside Electron's utility process.
 */
export async function startEngine(env: Record<string, string | undefined> = process.env): Promise<RunningEngine> {
  const dataDir = resolveDataDir(env);
  mkdirSync(dataDir, { recursive: true });
  const store = Store.open(databasePath(dataDir));
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
  for (const line of missingForCalls(config)) log.warn(line);

  const events = new EngineEvents();
  const tools = new ToolRegistry();
  const rest =
    config.twilio.accountSid && config.twilio.authToken
      ? createTwilioRestClient({ accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, apiBaseUrl: config.twilio.apiBaseUrl })
      : null;
  const fallback = new FallbackService(config, rest, store, events, createLogger('fallback'));
  const control = new TwilioCallControl(rest, () => fallback.urls().dialStatusUrl);
  const liveCalls = new LiveCalls({ config, store, events, tools, fallback, control, log: createLogger('call') });
  const webhooks = new TwilioWebhooks(config, store, events, liveCalls, fallback, createLogger('twilio'));

  const vault = new SecretVault(new FileKeyProvider(config.dataDir));
  const google = { config: loadGoogleCalendarConfig(env), tokens: new GoogleTokenStore(store.settings, vault) };
  registerReceptionistTools({ store, events, tools, transferNumber: () => config.transferNumber, google, log: createLogger('receptionist') });

  const handlers = new HandlerRegistry();
  registerCallHandlers(handlers, store);
  registerHealthHandlers(handlers, config, store);
  registerClinicHandlers(handlers, store);
  registerCalendarHandlers(handlers, google, createLogger('calendar'));

  const publicServer = new PublicServer(config, webhooks, liveCalls, createLogger('public'));
  const staffServer = new StaffServer({ port: config.dashboardPort, token: config.dashboardToken }, handlers, events, createLogger('staff'));
  let publicPort: number;
  let dashboardPort: number;
  try {
    publicPort = await publicServer.listen();
    dashboardPort = await staffServer.listen();
  } catch (err) {
    await publicServer.close().catch(() => undefined);
    store.close();
    throw err;
  }
  log.info(`Public listener on ${config.publicHost}:${publicPort}; staff API on 127.0.0.1:${dashboardPort}`);

  return {
    config,
    publicPort,
    dashboardPort,
    handlers,
    events,
    tools,
    async stop() {
      liveCalls.shutdown();
      await Promise.all([publicServer.close(), staffServer.close()]);
      store.close();
    },
  };
}
