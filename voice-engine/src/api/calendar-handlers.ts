import type { CalendarStatus } from '../contract-views.js';
import type { GoogleCalendarConfig } from '../calendar/google/google-config.js';
import { startGoogleConnect, type GoogleConnect } from '../calendar/google/google-oauth.js';
import type { GoogleTokenStore } from '../calendar/google/google-token-store.js';
import type { Logger } from '../log.js';
import { HandlerError, type HandlerRegistry } from './registry.js';


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
