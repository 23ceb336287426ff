import twilio from 'twilio';

type RequestOptions<TData> = import('twilio/lib/base/RequestClient.js').RequestOptions<TData>;

/**
 * Sends the SDK's requests to a configured origin instead of api.twilio.com: a
 * regional proxy in the field, the Twilio simulator in tests. Only the origin changes;
 * paths, auth and bodies are the SDK's own.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super({ timeout: 5000 });
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    const target = new URL(this.origin);
    uri.protocol = target.protocol;
    uri.host = target.host;
    return super.request<TData>({ ...opts, uri: uri.toString() });
  }
}

export type TwilioRestClient = ReturnType<typeof twilio>;

export const DEFAULT_TWILIO_API_BASE_URL = 'https://api.twilio.com';

export function createTwilioRestClient(options: { accountSid: string; authToken: string; apiBaseUrl: string }): TwilioRestClient {
  const httpClient =
    options.apiBaseUrl === DEFAULT_TWILIO_API_BASE_URL ? new twilio.RequestClient({ timeout: 5000 }) : new BaseUrlRequestClient(options.apiBaseUrl);
  return twilio(options.accountSid, options.authToken, { httpClient });
}

/** Webhooks are checked against the URL Twilio was given, never the Host header we received. */
export function isValidTwilioSignature(authToken: string, signature: string, url: string, params: Record<string, string>): boolean {
  return twilio.validateRequest(authToken, signature, url, params);
}

/**
 * The Twilio client for the credentials configured right now: built on first use and
 * rebuilt when Settings change them, so nobody has to restart the engine.
 */
export function twilioClientProvider(current: () => { accountSid: string | null; authToken: string | null; apiBaseUrl: string }): () => TwilioRestClient | null {
  let cached: { key: string; client: TwilioRestClient } | null = null;
  return () => {
    const { accountSid, authToken, apiBaseUrl } = current();
    if (!accountSid || !authToken) return null;
    const key = `${accountSid}\n${authToken}\n${apiBaseUrl}`;
    if (cached?.key !== key) cached = { key, client: createTwilioRestClient({ accountSid, authToken, apiBaseUrl }) };
    return cached.client;
  };
}
