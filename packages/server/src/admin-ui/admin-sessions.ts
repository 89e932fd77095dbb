// Browser sessions for the admin dashboard. The admin token is exchanged once
// (POST /admin/session) for a random session secret in an HttpOnly,
// SameSite=Strict cookie on /admin; only its SHA-256 is stored. A session
// lasts ADMIN_SESSION_TTL_SECS from sign-in, ends at logout, and dies with
// the admin token it was made from (a new ADMIN_BOOTSTRAP_TOKEN ends them
// all). Changes made with a session also need its CSRF token (derived from
// the secret, so nothing more is stored) and a same-origin Origin header.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type { Clock } from '../clock.js';
import { secretsEqual } from '../tokens/token-secret.js';

export const ADMIN_SESSION_COOKIE = 'cf_admin';
export const ADMIN_SESSION_TTL_SECS = 8 * 3600;
/** Sessions alive at once; signing in past it ends the oldest. */
const MAX_LIVE_SESSIONS = 50;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/**
 * Which admin token a session was made from, keyed by the session's own
 * secret (never stored): a copy of the database gives nothing to test
 * guesses of the admin token against.
 */
const fingerprintOf = (secret: string, adminToken: string) => createHmac('sha256', secret).update(adminToken).digest('hex');

/** The CSRF token of a session: derived from its secret, so a page that cannot read the cookie cannot compute it. */
export const csrfTokenOf = (secret: string) => sha256(`csrf:${secret}`);

export interface AdminSession {
  expiresAt: string;
  csrfToken: string;
}

export class AdminSessions {
  private readonly insert: SQLite.Statement<[string, string, string, string, string]>;
  private readonly byHash: SQLite.Statement<[string, string], { admin_fingerprint: string; expires_at: string; peer: string }>;
  private readonly remove: SQLite.Statement<[string]>;
  private readonly prune: SQLite.Statement<[string, number]>;

  constructor(sqlite: SQLite.Database, private readonly clock: Clock) {
    this.insert = sqlite.prepare('insert into admin_sessions (secret_hash, admin_fingerprint, peer, created_at, expires_at) values (?, ?, ?, ?, ?)');
    this.byHash = sqlite.prepare('select admin_fingerprint, expires_at, peer from admin_sessions where secret_hash = ? and expires_at > ?');
    this.remove = sqlite.prepare('delete from admin_sessions where secret_hash = ?');
    // Expired ones, and beyond the newest MAX_LIVE_SESSIONS.
    this.prune = sqlite.prepare(
      'delete from admin_sessions where expires_at <= ? or secret_hash not in (select secret_hash from admin_sessions order by created_at desc limit ?)',
    );
  }

  /** A new session for whoever proved they hold `adminToken`; its secret goes in the cookie, nowhere else. */
  create(adminToken: string, peer: string): AdminSession & { secret: string } {
    const now = this.clock.now();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ADMIN_SESSION_TTL_SECS * 1000).toISOString();
    this.insert.run(sha256(secret), fingerprintOf(secret, adminToken), peer, now.toISOString(), expiresAt);
    this.prune.run(now.toISOString(), MAX_LIVE_SESSIONS);
    return { secret, expiresAt, csrfToken: csrfTokenOf(secret) };
  }

  /**
   * The live session of this secret, made from the current admin token, used
   * from the address that signed in; undefined otherwise. Browsers send a
   * cookie to every port of its host: a service on another port that got
   * hold of it cannot use it from elsewhere.
   */
  find(secret: string, adminToken: string, peer: string): AdminSession | undefined {
    const row = this.byHash.get(sha256(secret), this.clock.now().toISOString());
    if (!row || row.peer !== peer || !secretsEqual(row.admin_fingerprint, fingerprintOf(secret, adminToken))) return undefined;
    return { expiresAt: row.expires_at, csrfToken: csrfTokenOf(secret) };
  }

  end(secret: string): void {
    this.remove.run(sha256(secret));
  }
}

/**
 * Every session secret of plausible shape a Cookie header carries: a page on
 * another port of this host may have set a cookie of the same name on a
 * narrower path, which the browser sends first; each is tried.
 */
export function sessionSecretsOf(cookieHeader: string | undefined): string[] {
  if (!cookieHeader) return [];
  const secrets: string[] = [];
  for (const part of cookieHeader.split(';')) {
    const [name, ...value] = part.trim().split('=');
    const secret = value.join('=');
    if (name === ADMIN_SESSION_COOKIE && /^[A-Za-z0-9_-]{43}$/.test(secret) && secrets.length < 4) secrets.push(secret);
  }
  return secrets;
}

/** Set-Cookie for a new session, and for ending one. No `Secure`: the service speaks plain HTTP on the LAN (behind TLS, a proxy may add it). */
export const sessionCookie = (secret: string) => `${ADMIN_SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=${ADMIN_SESSION_TTL_SECS}`;
export const clearedSessionCookie = () => `${ADMIN_SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=0`;
