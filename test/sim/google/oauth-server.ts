import { createHash, randomBytes } from 'node:crypto';
import { oauthError } from './google-errors.js';
import type { SimRequest, SimResponse } from './sim-types.js';

export const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
const ACCESS_TOKEN_SECONDS = 3599;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge: string | null;
  challengeMethod: string;
  offline: boolean;
  expiresAt: number;
}

/**
 * Google's authorization endpoint (consent is given or refused automatically) and
 * token endpoint (authorization_code with PKCE, refresh_token). Calendar calls are
 * accepted only with an access token issued here.
 */
export class OAuthServer {
  /** When true, GET /o/oauth2/v2/auth redirects straight back as if the user clicked. */
  autoConsent = true;
  consentAnswer: 'allow' | 'deny' = 'allow';
  /** What the user leaves ticked on the consent screen; defaults to everything asked for. */
  grantedScope: string | null = null;
  readonly accessTokens = new Map<string, { expiresAt: number; scope: string }>();
  readonly refreshTokens = new Map<string, { scope: string; clientId: string }>();
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    readonly clientId: string,
    readonly clientSecret: string | null,
  ) {}

  /** A refresh token as if the clinic had connected earlier. */
  issueRefreshToken(scope = CALENDAR_SCOPE): string {
    const token = `1//sim-${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(token, { scope, clientId: this.clientId });
    return token;
  }

  revokeRefreshToken(token: string): void {
    this.refreshTokens.delete(token);
  }

  validAccessToken(authorization: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const entry = token ? this.accessTokens.get(token) : undefined;
    return entry !== undefined && entry.expiresAt > Date.now();
  }

  authorize(query: URLSearchParams): SimResponse {
    const bad = (what: string): SimResponse => ({ status: 400, html: `<h1>Error 400: invalid_request</h1><p>${what}</p>` });
    if (query.get('client_id') !== this.clientId) return { status: 401, html: '<h1>Error 401: invalid_client</h1><p>The OAuth client was not found.</p>' };
    if (query.get('response_type') !== 'code') return bad('Required parameter is missing: response_type');
    const redirectUri = query.get('redirect_uri') ?? '';
    // Desktop clients may only redirect to a loopback address over http.
    if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?\//.test(redirectUri)) return bad('Invalid redirect_uri');
    const scope = query.get('scope');
    if (!scope) return bad('Missing required parameter: scope');
    const challengeMethod = query.get('code_challenge_method') ?? 'plain';
    if (!['plain', 'S256'].includes(challengeMethod)) return bad('Invalid code_challenge_method');
    if (!this.autoConsent) return { status: 200, html: '<h1>Sign in with Google</h1><p>Deskline wants to manage your calendars.</p>' };
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (this.consentAnswer === 'deny') {
      back.searchParams.set('error', 'access_denied');
      return { status: 302, headers: { Location: back.href } };
    }
    const code = `4/sim-${randomBytes(18).toString('base64url')}`;
    const granted = this.grantedScope ?? scope;
    this.codes.set(code, {
      clientId: this.clientId,
      redirectUri,
      scope: granted,
      challenge: query.get('code_challenge'),
      challengeMethod,
      offline: query.get('access_type') === 'offline',
      expiresAt: Date.now() + 10 * 60_000,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', granted);
    return { status: 302, headers: { Location: back.href } };
  }

  token(req: SimRequest): SimResponse {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    const clientId = form.client_id ?? basicId;
    const clientSecret = form.client_secret ?? basicSecret;
    if (clientId !== this.clientId) return { status: 401, body: oauthError('invalid_client', 'The OAuth client was not found.') };
    if (this.clientSecret !== null && clientSecret !== this.clientSecret) {
      return { status: 401, body: oauthError('invalid_client', 'Unauthorized') };
    }
    if (form.grant_type === 'authorization_code') return this.exchangeCode(form);
    if (form.grant_type === 'refresh_token') {
      const entry = this.refreshTokens.get(form.refresh_token ?? '');
      if (!entry) return { status: 400, body: oauthError('invalid_grant', 'Token has been expired or revoked.') };
      return { status: 200, body: this.accessToken(entry.scope) };
    }
    return { status: 400, body: oauthError('unsupported_grant_type', `Invalid grant_type: ${form.grant_type ?? ''}`) };
  }

  private exchangeCode(form: Record<string, string | undefined>): SimResponse {
    const pending = this.codes.get(form.code ?? '');
    // Codes are single-use: a replay fails even if the first exchange did not.
    this.codes.delete(form.code ?? '');
    if (!pending || pending.expiresAt < Date.now()) return { status: 400, body: oauthError('invalid_grant', 'Malformed auth code.') };
    if (form.redirect_uri !== pending.redirectUri) return { status: 400, body: oauthError('redirect_uri_mismatch', 'Bad Request') };
    if (pending.challenge !== null) {
      const verifier = form.code_verifier;
      if (!verifier) return { status: 400, body: oauthError('invalid_grant', 'Missing code verifier.') };
      const expected = pending.challengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (expected !== pending.challenge) return { status: 400, body: oauthError('invalid_grant', 'Invalid code verifier.') };
    }
    const body: Record<string, unknown> = this.accessToken(pending.scope);
    // Google issues a refresh token only to offline requests.
    if (pending.offline) {
      const refreshToken = this.issueRefreshToken(pending.scope);
      body.refresh_token = refreshToken;
    }
    return { status: 200, body };
  }

  private accessToken(scope: string): Record<string, unknown> {
    const token = `ya29.sim-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000, scope });
    return { access_token: token, expires_in: ACCESS_TOKEN_SECONDS, scope, token_type: 'Bearer' };
  }
}
