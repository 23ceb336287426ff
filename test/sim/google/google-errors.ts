/**
 * Error bodies exactly as Google sends them: Calendar API errors are
 * {"error":{code,message,errors:[{domain,reason,message}],status}}; the OAuth token
 * endpoint answers {"error":"invalid_grant","error_description":"..."} instead.
 */
export interface ApiErrorBody {
  error: {
    code: number;
    message: string;
    errors: Array<{ message: string; domain: string; reason: string; location?: string; locationType?: string }>;
    status?: string;
  };
}

const BY_STATUS: Record<number, { reason: string; domain: string; message: string; status: string }> = {
  400: { reason: 'badRequest', domain: 'global', message: 'Bad Request', status: 'INVALID_ARGUMENT' },
  401: {
    reason: 'authError',
    domain: 'global',
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    status: 'UNAUTHENTICATED',
  },
  403: { reason: 'forbidden', domain: 'global', message: 'Forbidden', status: 'PERMISSION_DENIED' },
  404: { reason: 'notFound', domain: 'global', message: 'Not Found', status: 'NOT_FOUND' },
  409: { reason: 'duplicate', domain: 'global', message: 'The requested identifier already exists.', status: 'ALREADY_EXISTS' },
  410: { reason: 'deleted', domain: 'global', message: 'Resource has been deleted', status: 'NOT_FOUND' },
  429: { reason: 'rateLimitExceeded', domain: 'usageLimits', message: 'Rate Limit Exceeded', status: 'RESOURCE_EXHAUSTED' },
  500: { reason: 'internalError', domain: 'global', message: 'Internal Error', status: 'INTERNAL' },
  503: { reason: 'backendError', domain: 'global', message: 'The service is currently unavailable.', status: 'UNAVAILABLE' },
};

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

export function apiError(code: number, override: { reason?: string; message?: string } = {}): ApiErrorBody {
  const known = BY_STATUS[code] ?? BY_STATUS[code >= 500 ? 503 : 400]!;
  const reason = override.reason ?? known.reason;
  const message = override.message ?? (RATE_REASONS.has(reason) ? 'Rate Limit Exceeded' : known.message);
  const detail: ApiErrorBody['error']['errors'][number] = {
    message: code === 401 ? 'Invalid Credentials' : message,
    domain: RATE_REASONS.has(reason) ? 'usageLimits' : known.domain,
    reason,
  };
  if (code === 401) Object.assign(detail, { location: 'Authorization', locationType: 'header' });
  // The 409 for a taken event id has no "status" member on the wire.
  return { error: { code, message, errors: [detail], ...(code === 409 ? {} : { status: known.status }) } };
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export function oauthError(error: string, description: string): OAuthErrorBody {
  return { error, error_description: description };
}
