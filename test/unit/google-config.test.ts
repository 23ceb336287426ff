import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../voice-engine/src/config.js';
import { loadGoogleCalendarConfig } from '../../voice-engine/src/calendar/google/google-config.js';

describe('Google Calendar configuration', () => {
  it('is absent without a client id', () => {
    expect(loadGoogleCalendarConfig({})).toBeNull();
  });

  it('defaults to Google’s real endpoints', () => {
    expect(loadGoogleCalendarConfig({ GOOGLE_CLIENT_ID: 'id.apps.googleusercontent.com' })).toEqual({
      clientId: 'id.apps.googleusercontent.com',
      clientSecret: null,
      apiRootUrl: 'https://www.googleapis.com/',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    });
  });

  it('takes overrides from the environment', () => {
    const config = loadGoogleCalendarConfig({
      GOOGLE_CLIENT_ID: 'id',
      GOOGLE_CLIENT_SECRET: 'secret-value',
      GOOGLE_API_ROOT_URL: 'http://127.0.0.1:9000',
      GOOGLE_OAUTH_TOKEN_URL: 'http://127.0.0.1:9000/token',
      GOOGLE_OAUTH_AUTH_URL: 'http://127.0.0.1:9000/o/oauth2/v2/auth',
    });
    expect(config).toMatchObject({ clientSecret: 'secret-value', apiRootUrl: 'http://127.0.0.1:9000/', tokenUrl: 'http://127.0.0.1:9000/token' });
  });

  it('names the variable when a URL is wrong', () => {
    expect(() => loadGoogleCalendarConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_OAUTH_TOKEN_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadGoogleCalendarConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_API_ROOT_URL: 'ftp://x/' })).toThrow(/GOOGLE_API_ROOT_URL/);
  });
});
