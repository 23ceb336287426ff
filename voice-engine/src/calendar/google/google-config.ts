import { ConfigError, credentialUrlProblem } from '../../config.js';
import { registerSecret } from '../../log.js';

/** Where Deskline talks to Google; the URLs are overridable so tests can point at a simulator. */
export interface GoogleCalendarConfig {
  clientId: string;
  /** Desktop OAuth clients get a secret that is not truly secret; some set-ups have none. */
  clientSecret: string | null;
  /** Calendar API root, with a trailing slash. */
  apiRootUrl: string;
  tokenUrl: string;
  authUrl: string;
}

export const GOOGLE_DEFAULTS = {
  apiRootUrl: 'https://www.googleapis.com/',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
} as const;

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a full URL such as ${fallback} (got "${raw}").`);
  }
  const problem = credentialUrlProblem(name, parsed, raw);
  if (problem) throw new ConfigError(problem);
  return parsed.href;
}

/** Null when Google Calendar is not set up (no client id): the engine then keeps appointments locally only. */
export function loadGoogleCalendarConfig(env: Env = process.env): GoogleCalendarConfig | null {
  const clientId = text(env, 'GOOGLE_CLIENT_ID');
  if (clientId === null) return null;
  const clientSecret = text(env, 'GOOGLE_CLIENT_SECRET');
  registerSecret(clientSecret);
  const apiRootUrl = url(env, 'GOOGLE_API_ROOT_URL', GOOGLE_DEFAULTS.apiRootUrl);
  return {
    clientId,
    clientSecret,
    // The SDK resolves absolute API paths against the root, so only its origin matters; keep the slash canonical.
    apiRootUrl: apiRootUrl.endsWith('/') ? apiRootUrl : `${apiRootUrl}/`,
    tokenUrl: url(env, 'GOOGLE_OAUTH_TOKEN_URL', GOOGLE_DEFAULTS.tokenUrl),
    authUrl: url(env, 'GOOGLE_OAUTH_AUTH_URL', GOOGLE_DEFAULTS.authUrl),
  };
}
