import type { GoogleCalendarConfig } from '../calendar/google/google-config.js';
import { startGoogleConnect, type GoogleConnect } from '../calendar/google/google-oauth.js';
import type { GoogleTokenStore } from '../calendar/google/google-token-store.js';
import type { Logger } from '../log.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

export interface CalendarStatus {
  backend: 'local' | 'google';
  /** GOOGLE_CLIENT_ID is set, so Google Calendar can be connected. */
  googleAvailable: boolean;
  /** A connect flow is waiting for the clinic to approve access in the browser. */
  connecting: boolean;
  lastError: string | null;
}

/** Connecting, checking and disconnecting Google Calendar from Settings. */
export function registerCalendarHandlers(registry: HandlerRegistry, google: { config: GoogleCalendarConfig | null; tokens: GoogleTokenStore }, log: Logger): void {
  let pending: GoogleConnect | null = null;
  let lastError: string | null = null;

  const status = (): CalendarStatus => {
    let connected = false;
    try {
      connected = google.config !== null && google.tokens.loadRefreshToken() !== null;
    } catch (err) {
      lastError = (err as Error).message;
    }
    return { backend: connected ? 'google' : 'local', googleAvailable: google.config !== null, connecting: pending !== null, lastError };
  };

  registry.register('calendar/status', () => status());

  registry.register('calendar/connect-google', async () => {
    if (!google.config) throw new HandlerError('BAD_REQUEST', 'Set GOOGLE_CLIENT_ID (and GOOGLE_CLIENT_SECRET) to connect Google Calendar.');
    pending?.cancel();
    const connect = await startGoogleConnect({ config: google.config });
    pending = connect;
    lastError = null;
    connect.completion.then(
      ({ refreshToken }) => {
        google.tokens.saveRefreshToken(refreshToken);
        log.info('Google Calendar connected');
      },
      (err: Error) => {
        lastError = err.message;
        log.warn(`Google Calendar was not connected: ${err.message}`);
      },
    ).finally(() => {
      if (pending === connect) pending = null;
    });
    return { authUrl: connect.authUrl };
  });

  registry.register('calendar/disconnect-google', () => {
    google.tokens.clear();
    return status();
  });
}
