import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOAuthClient, type GoogleOAuthClient } from './google-client.js';
import type { GoogleCalendarConfig } from './google-config.js';

export const GOOGLE_CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
const CALLBACK_PATH = '/oauth2/callback';
const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

export interface GoogleConnectResult {
  refreshToken: string;
  scope: string;
}

export interface GoogleConnect {
  /** Open this in the clinic's browser (done for you when openBrowser is given). */
  authUrl: string;
  /** Settles once Google redirects back, or on refusal, error or timeout; the loopback server is closed either way. */
  completion: Promise<GoogleConnectResult>;
  /** Gives up early (the user closed the dialog); completion rejects. */
  cancel(): void;
}

export interface GoogleConnectOptions {
  config: GoogleCalendarConfig;
  openBrowser?: (url: string) => void;
  /** How long the user has to finish in the browser. */
  timeoutMs?: number;
}

type AuthUrlOptions = NonNullable<Parameters<GoogleOAuthClient['generateAuthUrl']>[0]>;

/**
 * Google's installed-app flow: a one-shot server on a loopback port receives the redirect,
 * PKCE ties the code to this process, and `state` ties the redirect to this attempt. The
 * refresh token is handed to the caller only, to be sealed; it is never logged or echoed.
 */
export async function startGoogleConnect(options: GoogleConnectOptions): Promise<GoogleConnect> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  const client = createOAuthClient(options.config, { redirectUri });
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const state = randomBytes(24).toString('base64url');
  const authUrl = client.generateAuthUrl({
    access_type: 'offline',
    // Without consent Google omits the refresh token when this account connected before.
    prompt: 'consent',
    scope: [GOOGLE_CALENDAR_SCOPE],
    state,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256' as NonNullable<AuthUrlOptions['code_challenge_method']>,
  });

  let settle!: { resolve: (r: GoogleConnectResult) => void; reject: (e: Error) => void };
  const completion = new Promise<GoogleConnectResult>((resolve, reject) => (settle = { resolve, reject }));
  // Rejections before the caller attaches (e.g. an early cancel) must not count as unhandled.
  completion.catch(() => undefined);
  let done = false;
  const finish = (outcome: GoogleConnectResult | Error): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    closeServer(server);
    if (outcome instanceof Error) settle.reject(outcome);
    else settle.resolve(outcome);
  };
  const timer = setTimeout(
    () => finish(new Error('Google Calendar connection timed out: nobody finished signing in within 5 minutes.')),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  timer.unref();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== CALLBACK_PATH || done) {
      res.writeHead(404, { 'Content-Type': 'text/plain', Connection: 'close' }).end('Not found');
      return;
    }
    void handleCallback(url.searchParams).then((outcome) => {
      const ok = !(outcome instanceof Error);
      const text = ok
        ? 'Deskline is connected to Google Calendar. You can close this tab.'
        : `Deskline could not connect to Google Calendar: ${outcome.message} You can close this tab and try again.`;
      res.writeHead(ok ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' }).end(page(text), () => finish(outcome));
    });
  });

  async function handleCallback(params: URLSearchParams): Promise<GoogleConnectResult | Error> {
    if (params.get('state') !== state) {
      return new Error('Google sign-in answer did not match this connection attempt (state mismatch).');
    }
    const error = params.get('error');
    if (error === 'access_denied') return new Error('Google Calendar access was denied in the browser (access_denied).');
    if (error) return new Error(`Google sign-in failed (${error}).`);
    const code = params.get('code');
    if (!code) return new Error('Google sign-in answer carried no authorization code.');
    try {
      const { tokens } = await client.getToken({ code, codeVerifier });
      if (!tokens.refresh_token) return new Error('Google did not issue a refresh token; remove Deskline from the Google account and connect again.');
      const scope = tokens.scope ?? '';
      // Google lets people untick scopes on the consent screen.
      if (!scope.split(' ').includes(GOOGLE_CALENDAR_SCOPE)) {
        return new Error('Calendar access was not granted; connect again and allow Deskline to manage the calendar.');
      }
      return { refreshToken: tokens.refresh_token, scope };
    } catch (err) {
      return new Error(`Google refused the sign-in code (${oauthErrorOf(err)}).`);
    }
  }

  options.openBrowser?.(authUrl);
  return { authUrl, completion, cancel: () => finish(new Error('Google Calendar connection was cancelled.')) };
}

/** The token endpoint's error name (e.g. invalid_grant), never the request, which carries the code. */
function oauthErrorOf(err: unknown): string {
  const data = (err as { response?: { data?: { error?: unknown } } } | null)?.response?.data;
  if (typeof data?.error === 'string') return data.error;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'no answer from Google';
}

function closeServer(server: Server): void {
  server.close();
  // A browser keeps its connection alive; without this the port stays open until it lets go.
  server.closeAllConnections();
}

function page(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Deskline</title></head><body style="font-family:sans-serif;margin:3em"><p>${escaped}</p></body></html>`;
}
