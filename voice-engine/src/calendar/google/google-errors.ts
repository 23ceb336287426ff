import { CalendarError } from '../backend.js';

/** Google Calendar reports per-user and per-project quota as 403, not 429; these reasons mean "slow down", not "no access". */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded']);
/** Token-endpoint answers meaning the saved authorization is no longer good: the clinic must reconnect. */
const REVOKED_GRANT_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

interface ErrorFacts {
  status: number | null;
  /** Google's own message, e.g. "Not Found"; never a request body, so never a token. */
  googleMessage: string | null;
  reason: string | null;
  oauthError: string | null;
  code: string | null;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/** Reads a gaxios error by shape: gaxios is the SDK's dependency, not ours, so no instanceof. */
function factsOf(err: unknown): ErrorFacts {
  const e = record(err);
  const response = record(e?.response);
  const status = typeof response?.status === 'number' ? response.status : null;
  const data = record(response?.data);
  const apiError = record(data?.error);
  const firstError = Array.isArray(apiError?.errors) ? record(apiError.errors[0]) : null;
  return {
    status,
    googleMessage: typeof apiError?.message === 'string' ? apiError.message : null,
    reason: typeof firstError?.reason === 'string' ? firstError.reason : null,
    oauthError: typeof data?.error === 'string' ? data.error : null,
    code: typeof e?.code === 'string' ? e.code : null,
  };
}

/** One CalendarError for anything the SDK throws; `operation` says what Deskline was doing. */
export function toCalendarError(err: unknown, operation: string): CalendarError {
  if (err instanceof CalendarError) return err;
  const facts = factsOf(err);
  if (facts.oauthError !== null) {
    const kind = REVOKED_GRANT_ERRORS.has(facts.oauthError) ? 'auth' : facts.status !== null && facts.status >= 500 ? 'unavailable' : 'other';
    return new CalendarError(
      kind,
      facts.status,
      `Google ${operation} failed: the sign-in was refused (${facts.oauthError})${kind === 'auth' ? '; reconnect Google Calendar' : ''}`,
    );
  }
  if (facts.status === null) {
    const detail = facts.code ?? (err instanceof Error ? err.message : String(err));
    return CalendarError.fromStatus(null, `Google ${operation} failed: Google Calendar could not be reached (${detail})`);
  }
  const message = `Google ${operation} failed: ${facts.status} ${facts.googleMessage ?? 'error'}${facts.reason ? ` (${facts.reason})` : ''}`;
  if (facts.status === 403 && facts.reason !== null && RATE_LIMIT_REASONS.has(facts.reason)) {
    return new CalendarError('rate_limited', facts.status, message);
  }
  return CalendarError.fromStatus(facts.status, message);
}

/** Worth one more try: Google or the network hiccuped, or asked us to slow down. */
export function isTransient(error: CalendarError): boolean {
  return error.kind === 'unavailable' || error.kind === 'rate_limited';
}
