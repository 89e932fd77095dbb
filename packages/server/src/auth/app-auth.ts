import { createHash, timingSafeEqual } from 'node:crypto';
import { cidrContains, parseCidr, type TokenPolicy } from '@clawdforge/shared';
import { ApiError, type PublicError } from '../errors.js';
import { APP_TOKEN_PREFIX } from '../tokens/token-secret.js';
import type { Services } from '../services.js';
import { bearerToken } from './bearer.js';

export interface AuthenticatedApp {
  name: string;
  policy: TokenPolicy;
  /** When its token was minted (rotation keeps it): tells it from a later token of the same name. */
  tokenCreatedAt: string;
}

/** A refusal as a plain value: the front door refuses without building an Error (and its stack) per request. */
export function isRefusal(value: object): value is PublicError {
  return 'code' in value;
}

const MISSING: PublicError = { code: 'unauthorized', message: 'Missing app token: send "Authorization: Bearer cf_...".' };
const ADMIN_AS_APP: PublicError = { code: 'unauthorized', message: 'The admin token cannot call app routes: mint an app token with POST /admin/tokens.' };
const UNKNOWN: PublicError = { code: 'unauthorized', message: 'Unknown or revoked app token.' };
const EXPIRED: PublicError = { code: 'unauthorized', message: 'This app token has expired: ask the admin for a new one.' };

let adminDigest: { token: string; digest: Buffer } | undefined;
function adminDigestOf(adminToken: string): Buffer {
  if (adminDigest?.token !== adminToken) adminDigest = { token: adminToken, digest: sha256(adminToken) };
  return adminDigest.digest;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

const expired = (policy: TokenPolicy, now: Date) => policy.expires_at !== null && Date.parse(policy.expires_at) <= now.getTime();

/** The second layer for app routes: a live app token, used from an address its ip_cidrs allow. */
export function checkAppToken(services: Services, authorization: string | undefined, peer: string): AuthenticatedApp | PublicError {
  const token = bearerToken(authorization);
  if (!token) return MISSING;
  const digest = sha256(token);
  // Digests compared in constant time: the admin token's is computed once, this one serves the lookup too.
  if (services.config.adminToken && timingSafeEqual(digest, adminDigestOf(services.config.adminToken))) return ADMIN_AS_APP;
  const now = services.clock.now();
  const record = token.startsWith(APP_TOKEN_PREFIX) ? services.tokenLookup.find(digest.toString('hex'), now) : undefined;
  if (!record) return UNKNOWN;
  if (expired(record.policy, now)) return EXPIRED;
  if (record.ipCidrs.length > 0 && !record.ipCidrs.some((text) => cidrContains(parseCidr(text)!, peer))) {
    return { code: 'forbidden_ip', message: `This token may not be used from ${peer}.` };
  }
  services.tokenLookup.touched(record.name, now);
  return { name: record.name, policy: record.policy, tokenCreatedAt: record.createdAt };
}

const REVOKED_MEANWHILE: PublicError = { code: 'unauthorized', message: 'The app token was revoked while the request was being sent.' };

/**
 * The app again, once its request body has arrived (that can take a while):
 * still the same live token, with its policy as it stands now.
 */
export function recheckApp(services: Services, app: AuthenticatedApp): AuthenticatedApp | PublicError {
  const record = services.tokenLookup.current(app.name, app.tokenCreatedAt);
  if (!record) return REVOKED_MEANWHILE;
  if (expired(record.policy, services.clock.now())) return EXPIRED;
  return { ...app, policy: record.policy };
}

/** checkAppToken, throwing the refusal: for procedures reached by a path that did not check the headers first. */
export function authenticateApp(services: Services, authorization: string | undefined, peer: string): AuthenticatedApp {
  const checked = checkAppToken(services, authorization, peer);
  if (isRefusal(checked)) throw new ApiError(checked.code, checked.message);
  return checked;
}
