import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, type PublicError } from '../errors.js';
import type { Config } from '../config.js';
import { secretsEqual } from '../tokens/token-secret.js';
import { bearerToken } from './bearer.js';
import { ADMIN_SESSION_COOKIE, sessionSecretsOf, type AdminSession, type AdminSessions } from '../admin-ui/admin-sessions.js';

const DISABLED: PublicError = {
  code: 'admin_disabled',
  message: 'Admin API disabled: set ADMIN_BOOTSTRAP_TOKEN (at least 16 random characters) and restart the service.',
};
const MISSING: PublicError = { code: 'unauthorized', message: 'Missing admin token: send "Authorization: Bearer <ADMIN_BOOTSTRAP_TOKEN>", or sign in at /admin/ui.' };
const WRONG: PublicError = { code: 'unauthorized', message: 'Wrong admin token.' };
const NO_SESSION: PublicError = { code: 'unauthorized', message: 'The admin session expired or was ended: sign in again at /admin/ui.' };
const CROSS_ORIGIN: PublicError = { code: 'csrf_failed', message: 'A change made with an admin session must come from the dashboard itself (its Origin header).' };
const NO_CSRF: PublicError = { code: 'csrf_failed', message: 'A change made with an admin session needs its X-CSRF-Token header.' };

/** The second layer for /admin/*: the bootstrap token, compared in constant time. Null when it passes. */
export function checkAdminToken(config: Config, authorization: string | undefined): PublicError | null {
  if (!config.adminToken) return DISABLED;
  const token = bearerToken(authorization);
  if (!token) return MISSING;
  return secretsEqual(token, config.adminToken) ? null : WRONG;
}

/** checkAdminToken, throwing the refusal. */
export function authenticateAdmin(config: Config, authorization: string | undefined): void {
  const refusal = checkAdminToken(config, authorization);
  if (refusal) throw new ApiError(refusal.code, refusal.message);
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * True when Origin names this very host (the page at /admin/ui), and the
 * browser's Sec-Fetch-Site, when it sends one, agrees. Browsers send Origin
 * with every fetch that changes something.
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const { origin, host } = headers;
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  return typeof origin === 'string' && typeof host === 'string' && (origin === `http://${host}` || origin === `https://${host}`);
}

/** The admin session the request's cookie names, made from the current admin token and used from its own address; undefined otherwise. */
export function adminSessionOf(config: Config, sessions: AdminSessions, request: { headers: IncomingHttpHeaders; peer: string }): { secret: string; session: AdminSession } | undefined {
  if (!config.adminToken) return undefined;
  for (const secret of sessionSecretsOf(request.headers.cookie)) {
    const session = sessions.find(secret, config.adminToken, request.peer);
    if (session) return { secret, session };
  }
  return undefined;
}

const carriesSessionCookie = (cookie: string | undefined) => cookie !== undefined && cookie.includes(`${ADMIN_SESSION_COOKIE}=`);

/**
 * An admin request: the bearer token when the request sends one (scripts,
 * SDKs), else the dashboard's session cookie. With the cookie, a request that
 * changes something must also come from the same origin and carry the
 * session's CSRF token: a page elsewhere can make the browser send the
 * cookie (SameSite=Strict already stops most of it), never the header.
 */
export function checkAdminRequest(config: Config, sessions: AdminSessions, request: { method: string; headers: IncomingHttpHeaders; peer: string }): PublicError | null {
  if (!config.adminToken) return DISABLED;
  if (request.headers.authorization !== undefined || !carriesSessionCookie(request.headers.cookie)) return checkAdminToken(config, request.headers.authorization);
  const found = adminSessionOf(config, sessions, request);
  if (!found) return NO_SESSION;
  return SAFE_METHODS.has(request.method) ? null : sessionChangeRefusal(request.headers, found.session);
}

/** A change made with a session: from this very origin, with the session's CSRF token; null when it is. */
export function sessionChangeRefusal(headers: IncomingHttpHeaders, session: AdminSession): PublicError | null {
  if (!sameOrigin(headers)) return CROSS_ORIGIN;
  const csrf = headers['x-csrf-token'];
  return typeof csrf === 'string' && secretsEqual(csrf, session.csrfToken) ? null : NO_CSRF;
}
