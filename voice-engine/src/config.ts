import { isE164 } from './clinic/validate.js';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LOG_LEVELS, type LogLevel } from './log.js';

/** A configuration problem, told in one line that names what to set. */
export class ConfigError extends Error {}

export interface EngineConfig {
  dataDir: string;
  dbPath: string;
  logDir: string;
  publicHost: string;
  publicPort: number;
  dashboardPort: number;
  dashboardToken: string;
  /** What Twilio reaches (often a tunnel); webhook signatures are checked against it. */
  publicBaseUrl: URL | null;
  /** `model`: the Realtime model for calls; `textModel`: the Responses model for texts. */
  openai: { apiKey: string | null; baseUrl: string | null; model: string; textModel: string };
  twilio: { accountSid: string | null; authToken: string | null; apiBaseUrl: string };
  transferNumber: string | null;
  logLevel: LogLevel;
  /** OpenAI closes Realtime sessions at 60 minutes; a call is moved to a new one before then. */
  realtimeSessionLimitMs: number;
  /** A session warmed by the voice webhook is closed if no media stream claims it by then. */
  warmSessionTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

/**
 * Settings a clinic can keep in the database, by the environment variable that
 * overrides each. Secrets are deliberately absent: they never rest in the database.
 */
export const STORED_SETTINGS: Readonly<Record<string, string>> = {
  PUBLIC_BASE_URL: 'telephony.publicBaseUrl',
  DESKLINE_TRANSFER_NUMBER: 'telephony.transferNumber',
  TWILIO_ACCOUNT_SID: 'telephony.twilioAccountSid',
  DESKLINE_REALTIME_MODEL: 'openai.model',
  DESKLINE_PUBLIC_PORT: 'engine.publicPort',
  DESKLINE_PUBLIC_HOST: 'engine.publicHost',
  DESKLINE_DASHBOARD_PORT: 'engine.dashboardPort',
  LOG_LEVEL: 'engine.logLevel',
};

export interface StoredSettings {
  get<T>(key: string): T | undefined;
}

/** Stored settings first, then any environment variable that is set overrides its setting. */
function withStoredSettings(env: Env, stored: StoredSettings | undefined): Env {
  const merged: Env = {};
  if (stored) {
    for (const [name, key] of Object.entries(STORED_SETTINGS)) {
      const value = stored.get<unknown>(key);
      if (value !== undefined && value !== null && value !== '') merged[name] = String(value);
    }
  }
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value.trim() !== '') merged[name] = value;
  return merged;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, 'deskline.sqlite');
}

/** Electron's userData folder for productName "Deskline", so headless and desktop share data. */
export function defaultDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Deskline');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Deskline');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Deskline');
}

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535 (got "${raw}").`);
  }
  return value;
}

/** Loopback only: a plain-http endpoint elsewhere would carry our credentials in the clear. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The one line to show when a credential-carrying URL is not https (http is allowed on loopback only). */
export function credentialUrlProblem(name: string, url: URL, raw: string): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return `${name} must start with https:// (plain http is accepted only for 127.0.0.1 or localhost, since credentials are sent to it) (got "${raw}").`;
}

function httpsUrl(env: Env, name: string, opts: { allowHttp: boolean }): URL | null {
  const raw = text(env, name);
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a full URL such as https://example.com (got "${raw}").`);
  }
  if (opts.allowHttp) {
    const problem = credentialUrlProblem(name, url, raw);
    if (problem) throw new ConfigError(problem);
  } else if (url.protocol !== 'https:') {
    throw new ConfigError(`${name} must start with https:// (got "${raw}").`);
  }
  return url;
}

function dashboardToken(env: Env, dataDir: string): string {
  const fromEnv = text(env, 'DESKLINE_DASHBOARD_TOKEN');
  if (fromEnv !== null) {
    if (fromEnv.length < 16) throw new ConfigError('DESKLINE_DASHBOARD_TOKEN must be at least 16 characters long.');
    return fromEnv;
  }
  const file = join(dataDir, 'dashboard-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

function positiveSeconds(env: Env, name: string, fallbackMs: number): number {
  const raw = text(env, name);
  if (raw === null) return fallbackMs;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number of seconds (got "${raw}").`);
  return Math.round(value * 1000);
}

/** The data dir is resolved first: the database inside it holds the rest of the settings. */
export function resolveDataDir(env: Env = process.env): string {
  return text(env, 'DESKLINE_DATA_DIR') ?? defaultDataDir(env);
}

export function loadConfig(rawEnv: Env = process.env, stored?: StoredSettings): EngineConfig {
  const env = withStoredSettings(rawEnv, stored);
  const dataDir = resolveDataDir(env);
  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}").`);
  }
  const accountSid = text(env, 'TWILIO_ACCOUNT_SID');
  if (accountSid !== null && !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new ConfigError('TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex characters, as shown in the Twilio console.');
  }
  const transferNumber = text(env, 'DESKLINE_TRANSFER_NUMBER');
  if (transferNumber !== null && !isE164(transferNumber)) {
    throw new ConfigError('DESKLINE_TRANSFER_NUMBER must be a phone number in E.164 form, such as +15551234567.');
  }
  const publicBaseUrl = httpsUrl(env, 'PUBLIC_BASE_URL', { allowHttp: false });
  if (publicBaseUrl && (publicBaseUrl.pathname !== '/' || publicBaseUrl.search)) {
    throw new ConfigError('PUBLIC_BASE_URL must be an origin only, such as https://clinic.example.com, with no path.');
  }
  return {
    dataDir,
    dbPath: databasePath(dataDir),
    logDir: join(dataDir, 'logs'),
    publicHost: text(env, 'DESKLINE_PUBLIC_HOST') ?? '0.0.0.0',
    publicPort: port(env, 'DESKLINE_PUBLIC_PORT', 8080),
    dashboardPort: port(env, 'DESKLINE_DASHBOARD_PORT', 8081),
    dashboardToken: dashboardToken(env, dataDir),
    publicBaseUrl,
    openai: {
      apiKey: text(env, 'OPENAI_API_KEY'),
      baseUrl: httpsUrl(env, 'OPENAI_BASE_URL', { allowHttp: true })?.toString().replace(/\/$/, '') ?? null,
      model: text(env, 'DESKLINE_REALTIME_MODEL') ?? 'gpt-realtime',
      textModel: text(env, 'DESKLINE_TEXT_MODEL') ?? 'gpt-4.1-mini',
    },
    twilio: {
      accountSid,
      authToken: text(env, 'TWILIO_AUTH_TOKEN'),
      apiBaseUrl: (httpsUrl(env, 'TWILIO_API_BASE_URL', { allowHttp: true }) ?? new URL('https://api.twilio.com')).origin,
    },
    transferNumber,
    logLevel: logLevel as LogLevel,
    realtimeSessionLimitMs: positiveSeconds(env, 'DESKLINE_REALTIME_SESSION_LIMIT_S', 55 * 60 * 1000),
    warmSessionTimeoutMs: 10_000,
  };
}

/** What a clinic must still set before calls can be answered, one line each. */
export function missingForCalls(config: EngineConfig): string[] {
  const missing: string[] = [];
  if (!config.openai.apiKey) missing.push('OPENAI_API_KEY is not set: calls cannot reach the receptionist and go to the fallback.');
  if (!config.twilio.accountSid) missing.push('TWILIO_ACCOUNT_SID is not set: the engine cannot redirect or hang up calls.');
  if (!config.twilio.authToken) missing.push('TWILIO_AUTH_TOKEN is not set: Twilio webhooks cannot be verified and are refused.');
  if (!config.publicBaseUrl) missing.push('PUBLIC_BASE_URL is not set: set it to the https URL Twilio reaches (your tunnel or port forward).');
  return missing;
}
