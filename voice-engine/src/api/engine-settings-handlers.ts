import { isE164 } from '../clinic/validate.js';
import { RETENTION_SETTING } from '../jobs/retention.js';
import { STORED_SETTINGS, type EngineConfig } from '../config.js';
import type { EngineSettingsView } from '../contract-views.js';
import { registerSecret } from '../log.js';
import type { SecretKeeper } from '../secrets/keeper.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';
import { TWILIO_NUMBER_KEY } from '../sms/clinic-number.js';

const RETENTION_KEY = RETENTION_SETTING;

/** Secrets kept from Settings fill in whatever the environment did not set. */
export function applyKeptSecrets(config: EngineConfig, keeper: SecretKeeper): void {
  config.twilio.authToken ??= keeper.load('twilioAuthToken');
  config.openai.apiKey ??= keeper.load('openaiApiKey');
}

function bad(message: string): never {
  throw new HandlerError('BAD_REQUEST', message);
}

function optional(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') bad(`${field} must be text.`);
  return value.trim();
}

/** Telephony, OpenAI and retention settings. Secret values go in and never come back out. */
export function registerEngineSettingsHandlers(registry: HandlerRegistry, config: EngineConfig, store: Store, keeper: SecretKeeper): void {
  const view = (): EngineSettingsView => ({
    telephony: {
      twilioAccountSid: config.twilio.accountSid,
      twilioAuthTokenSet: Boolean(config.twilio.authToken),
      twilioNumber: store.settings.get<string>(TWILIO_NUMBER_KEY) ?? null,
      publicBaseUrl: config.publicBaseUrl?.origin ?? null,
      transferNumber: config.transferNumber,
    },
    openai: { apiKeySet: Boolean(config.openai.apiKey), model: config.openai.model },
    retention: { transcriptDays: store.settings.get<number>(RETENTION_KEY) ?? null },
  });

  registry.register('settings/get', () => view());

  registry.register('settings/update', (args) => {
    const t = args.telephony ?? {};
    const o = args.openai ?? {};
    const sid = optional(t.twilioAccountSid, 'Twilio account SID');
    if (sid && !/^AC[0-9a-fA-F]{32}$/.test(sid)) bad('Twilio account SID must be "AC" followed by 32 hex characters, as shown in the Twilio console.');
    const token = optional(t.twilioAuthToken, 'Twilio auth token');
    if (token !== undefined && token.length < 16) bad('Twilio auth token looks too short; copy it again from the Twilio console.');
    const number = optional(t.twilioNumber, 'Twilio phone number');
    if (number && !isE164(number)) bad('Twilio phone number must be in international form, such as +15551234567.');
    const transfer = optional(t.transferNumber, 'Transfer number');
    if (transfer && !isE164(transfer)) bad('Transfer number must be in international form, such as +15551234567.');
    const base = optional(t.publicBaseUrl, 'Public URL');
    let publicUrl: URL | null | undefined;
    if (base !== undefined) {
      if (base === '') publicUrl = null;
      else {
        try {
          publicUrl = new URL(base);
        } catch {
          bad('Public URL must be a full https address, such as https://clinic.example.com.');
        }
        if (publicUrl.protocol !== 'https:' || publicUrl.pathname !== '/' || publicUrl.search) bad('Public URL must be an https origin with no path, such as https://clinic.example.com.');
      }
    }
    const apiKey = optional(o.apiKey, 'OpenAI API key');
    if (apiKey !== undefined && apiKey.length < 20) bad('OpenAI API key looks too short; copy it again from the OpenAI dashboard.');
    const model = optional(o.model, 'Realtime model');
    const retention = args.retention?.transcriptDays;
    if (retention !== undefined && retention !== null && (!Number.isInteger(retention) || retention < 1 || retention > 3650)) bad('Keep transcripts for 1 to 3650 days, or forever.');

    // Validated in full; now write everything in one transaction and apply it live.
    store.db.transaction(() => {
      const s = store.settings;
      if (sid !== undefined) s.set(STORED_SETTINGS.TWILIO_ACCOUNT_SID!, sid);
      if (number !== undefined) s.set(TWILIO_NUMBER_KEY, number);
      if (transfer !== undefined) s.set(STORED_SETTINGS.DESKLINE_TRANSFER_NUMBER!, transfer);
      if (publicUrl !== undefined) s.set(STORED_SETTINGS.PUBLIC_BASE_URL!, publicUrl?.origin ?? '');
      if (model) s.set(STORED_SETTINGS.DESKLINE_REALTIME_MODEL!, model);
      if (retention !== undefined) s.set(RETENTION_KEY, retention);
    })();
    if (token) keeper.save('twilioAuthToken', token);
    if (apiKey) keeper.save('openaiApiKey', apiKey);
    if (sid !== undefined) config.twilio.accountSid = sid || null;
    if (token) {
      registerSecret(token);
      config.twilio.authToken = token;
    }
    if (transfer !== undefined) config.transferNumber = transfer || null;
    if (publicUrl !== undefined) config.publicBaseUrl = publicUrl;
    if (apiKey) {
      registerSecret(apiKey);
      config.openai.apiKey = apiKey;
    }
    if (model) config.openai.model = model;
    return view();
  });
}
