import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GoogleCalendarBackend } from '../../voice-engine/src/calendar/google/google-backend.js';
import type { GoogleCalendarConfig } from '../../voice-engine/src/calendar/google/google-config.js';
import { GOOGLE_CALENDAR_SCOPE, startGoogleConnect } from '../../voice-engine/src/calendar/google/google-oauth.js';
import { SealedSettingsKeeper } from '../../voice-engine/src/secrets/keeper.js';
import { GoogleTokenStore, REFRESH_TOKEN_KEY } from '../../voice-engine/src/calendar/google/google-token-store.js';
import { FileKeyProvider, SecretVault } from '../../voice-engine/src/secrets/vault.js';
import { GoogleCalendarSim } from '../sim/google/index.js';

function configFor(sim: GoogleCalendarSim): GoogleCalendarConfig {
  return { clientId: sim.oauth.clientId, clientSecret: sim.oauth.clientSecret, apiRootUrl: sim.rootUrl, tokenUrl: sim.tokenUrl, authUrl: sim.authUrl };
}

/** Plays the browser: follow Google's redirect back to Deskline's loopback server. */
async function browse(authUrl: string, tamper?: (callback: URL) => void): Promise<{ status: number; text: string }> {
  const consent = await fetch(authUrl, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get('location')!);
  tamper?.(callback);
  const page = await fetch(callback);
  return { status: page.status, text: await page.text() };
}

async function refusesConnections(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    () => true,
  );
}

let sim: GoogleCalendarSim;
beforeEach(async () => {
  sim = await GoogleCalendarSim.start();
});
afterEach(async () => {
  await sim.close();
});

describe('Google Calendar connect flow', () => {
  it('runs the loopback flow with PKCE and state, and the sealed token then works', async () => {
    let opened = '';
    const connect = await startGoogleConnect({ config: configFor(sim), openBrowser: (url) => (opened = url) });
    expect(opened).toBe(connect.authUrl);
    const asked = new URL(connect.authUrl);
    expect(asked.origin + asked.pathname).toBe(sim.authUrl);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      scope: GOOGLE_CALENDAR_SCOPE,
      response_type: 'code',
      client_id: sim.oauth.clientId,
      code_challenge_method: 'S256',
    });
    expect(asked.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    expect(asked.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);

    const page = await browse(connect.authUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Deskline is connected to Google Calendar. You can close this tab.');
    const { refreshToken, scope } = await connect.completion;
    expect(sim.oauth.refreshTokens.has(refreshToken)).toBe(true);
    expect(scope).toBe(GOOGLE_CALENDAR_SCOPE);

    // The code was redeemed with the verifier whose S256 hash went out in the auth URL.
    const exchange = sim.requests.find((r) => r.path === '/token')!.body as Record<string, string>;
    expect(exchange.grant_type).toBe('authorization_code');
    expect(createHash('sha256').update(exchange.code_verifier!).digest('base64url')).toBe(asked.searchParams.get('code_challenge'));
    expect(await refusesConnections(asked.searchParams.get('redirect_uri')!)).toBe(true);

    const settings = new Map<string, unknown>();
    const store = new GoogleTokenStore(
      new SealedSettingsKeeper(
        { get: <T>(key: string) => settings.get(key) as T | undefined, set: (key, value) => void settings.set(key, value) },
        new SecretVault(new FileKeyProvider(mkdtempSync(join(tmpdir(), 'deskline-oauth-')))),
      ),
    );
    store.saveRefreshToken(refreshToken);
    expect(JSON.stringify([...settings])).not.toContain(refreshToken);
    expect(settings.get(REFRESH_TOKEN_KEY)).toMatch(/^v1:/);
    const backend = new GoogleCalendarBackend({ config: configFor(sim), refreshToken: store.loadRefreshToken()! });
    const busy = await backend.busy([{ id: 1, name: 'Dr. Smith', hours: {}, calendarId: 'smith@clinic.example' }], 0, 3_600_000);
    expect(busy.get(1)).toEqual([]);
  });

  it('rejects when the user refuses access, and tells the browser', async () => {
    sim.oauth.consentAnswer = 'deny';
    const connect = await startGoogleConnect({ config: configFor(sim) });
    const page = await browse(connect.authUrl);
    expect(page.status).toBe(400);
    expect(page.text).toContain('could not connect');
    await expect(connect.completion).rejects.toThrow(/denied.*access_denied/);
    expect(sim.requests.some((r) => r.path === '/token')).toBe(false);
  });

  it('rejects an answer whose state does not match, without redeeming its code', async () => {
    const connect = await startGoogleConnect({ config: configFor(sim) });
    await browse(connect.authUrl, (callback) => callback.searchParams.set('state', 'forged'));
    await expect(connect.completion).rejects.toThrow(/state mismatch/);
    expect(sim.requests.some((r) => r.path === '/token')).toBe(false);
    expect(await refusesConnections(new URL(connect.authUrl).searchParams.get('redirect_uri')!)).toBe(true);
  });

  it('rejects when calendar access was unticked on the consent screen', async () => {
    sim.oauth.grantedScope = 'openid';
    const connect = await startGoogleConnect({ config: configFor(sim) });
    await browse(connect.authUrl);
    await expect(connect.completion).rejects.toThrow(/Calendar access was not granted/);
  });

  it('gives up after the timeout and closes the loopback server', async () => {
    const connect = await startGoogleConnect({ config: configFor(sim), timeoutMs: 50 });
    await expect(connect.completion).rejects.toThrow(/timed out/);
    expect(await refusesConnections(new URL(connect.authUrl).searchParams.get('redirect_uri')!)).toBe(true);
  });

  it('can be cancelled', async () => {
    const connect = await startGoogleConnect({ config: configFor(sim) });
    connect.cancel();
    await expect(connect.completion).rejects.toThrow(/cancelled/);
  });
});

describe('Google OAuth simulator', () => {
  it('refuses a code redeemed with the wrong PKCE verifier, and a code used twice', async () => {
    const redirectUri = 'http://127.0.0.1:9/oauth2/callback';
    const verifier = 'a'.repeat(64);
    const auth = new URL(sim.authUrl);
    const params = {
      client_id: sim.oauth.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: GOOGLE_CALENDAR_SCOPE,
      access_type: 'offline',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
    const redeem = async (codeVerifier: string) => {
      const code = new URL((await fetch(auth, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
      const form = { grant_type: 'authorization_code', code, code_verifier: codeVerifier, redirect_uri: redirectUri, client_id: sim.oauth.clientId, client_secret: sim.oauth.clientSecret! };
      const answer = async () => {
        const res = await fetch(sim.tokenUrl, { method: 'POST', body: new URLSearchParams(form) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      return { first: await answer(), replay: await answer() };
    };
    const wrong = await redeem('b'.repeat(64));
    expect(wrong.first).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } });
    const right = await redeem(verifier);
    expect(right.first.status).toBe(200);
    expect(right.first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, scope: GOOGLE_CALENDAR_SCOPE });
    expect(right.first.body.refresh_token).toEqual(expect.any(String));
    expect(right.replay.body.error).toBe('invalid_grant');
  });

  it('answers Calendar calls without a valid access token with 401', async () => {
    const res = await fetch(`${sim.rootUrl}calendar/v3/calendars/primary/events`, { headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]!.reason).toBe('authError');
  });
});
