import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'deskline_session';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/**
 * Who may reach the staff API at all: programs holding the bearer token, and browsers that
 * came in through a one-time login link and hold the cookie it set. The link only lets this
 * browser open the sign-in screen; a person still signs in with their own PIN (accounts/).
 */
export class StaffSessions {
  private loginCode = randomBytes(24).toString('base64url');
  private readonly sessions = new Map<string, number>();

  constructor(private readonly bearerToken: string) {}

  /** The current one-time code for the login link. */
  get currentLoginCode(): string {
    return this.loginCode;
  }

  /** Spends the login code: a link works once, then a fresh one is issued. */
  redeem(code: string): string | null {
    if (!sameSecret(code, this.loginCode)) return null;
    this.loginCode = randomBytes(24).toString('base64url');
    const session = randomBytes(32).toString('base64url');
    this.sessions.set(session, Date.now() + SESSION_TTL_MS);
    return session;
  }

  /** Holds the staff API token: IT's and automation's identity (`api`), with admin rights. */
  hasToken(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') && sameSecret(header.slice(7), this.bearerToken);
  }

  authorized(req: IncomingMessage): boolean {
    if (this.hasToken(req)) return true;
    const session = cookieValue(req, SESSION_COOKIE);
    if (!session) return false;
    const expires = this.sessions.get(session);
    if (expires === undefined) return false;
    if (expires < Date.now()) {
      this.sessions.delete(session);
      return false;
    }
    return true;
  }
}
