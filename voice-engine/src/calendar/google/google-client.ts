import { auth, calendar, type calendar_v3 } from '@googleapis/calendar';
import type { GoogleCalendarConfig } from './google-config.js';

/** google-auth-library's OAuth2Client, taken from the SDK's own re-export so both agree on one copy. */
export type GoogleOAuthClient = InstanceType<typeof auth.OAuth2>;

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/**
 * The OAuth client for both the connect flow and API calls. Its transporter defaults
 * cover the token endpoint, whose requests google-auth-library marks retryable on its
 * own: they are bounded here to one quick retry so a dead network fails in about one
 * timeout rather than after gaxios' default three retries with backoff.
 */
export function createOAuthClient(
  config: GoogleCalendarConfig,
  options: { redirectUri?: string; timeoutMs?: number } = {},
): GoogleOAuthClient {
  return new auth.OAuth2({
    clientId: config.clientId,
    clientSecret: config.clientSecret ?? undefined,
    redirectUri: options.redirectUri,
    endpoints: { oauth2TokenUrl: config.tokenUrl, oauth2AuthBaseUrl: config.authUrl },
    // An access token Google stops honouring early (clock skew, server-side invalidation)
    // is otherwise trusted until its expiry; this refreshes once on a 401/403 and retries.
    forceRefreshOnFailure: true,
    transporterOptions: {
      timeout: options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      retryConfig: { retry: 1, noResponseRetries: 1, retryDelay: 250 },
    },
  });
}

/**
 * The Calendar v3 client, pointed at the configured root. gaxios retries are switched
 * off for API calls (`retry: 0` must be explicit: the transporter's retryConfig above is
 * merged into every request) because the backend applies its own single retry, which
 * also knows which Google errors are worth retrying.
 */
export function createCalendarApi(
  client: GoogleOAuthClient,
  config: GoogleCalendarConfig,
  timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
): calendar_v3.Calendar {
  return calendar({
    version: 'v3',
    auth: client,
    rootUrl: config.apiRootUrl,
    timeout: timeoutMs,
    retry: false,
    retryConfig: { retry: 0 },
  });
}
