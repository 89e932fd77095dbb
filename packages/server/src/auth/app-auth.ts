import { cidrContains, parseCidr, type TokenPolicy } from '@clawdforge/shared';
import { ApiError } from '../errors.js';
import { findTokenByHash, touchToken } from '../tokens/tokens.repository.js';
import { APP_TOKEN_PREFIX, hashToken, secretsEqual } from '../tokens/token-secret.js';
import type { Services } from '../services.js';
import { bearerToken } from './bearer.js';

export interface AuthenticatedApp {
  name: string;
  policy: TokenPolicy;
}

/** The second layer for app routes: a live app token, used from an address its ip_cidrs allow. */
export async function authenticateApp(
  services: Services,
  authorization: string | undefined,
  peer: string,
): Promise<AuthenticatedApp> {
  const token = bearerToken(authorization);
  if (!token) {
    throw new ApiError('unauthorized', 'Missing app token: send "Authorization: Bearer cf_...".');
  }
  if (services.config.adminToken && secretsEqual(token, services.config.adminToken)) {
    throw new ApiError('unauthorized', 'The admin token cannot call app routes: mint an app token with POST /admin/tokens.');
  }
  const now = services.clock.now();
  const record = token.startsWith(APP_TOKEN_PREFIX) ? await findTokenByHash(services.db, hashToken(token), now) : undefined;
  if (!record) throw new ApiError('unauthorized', 'Unknown or revoked app token.');
  if (record.policy.expires_at !== null && Date.parse(record.policy.expires_at) <= now.getTime()) {
    throw new ApiError('unauthorized', 'This app token has expired: ask the admin for a new one.');
  }
  if (record.ipCidrs.length > 0 && !record.ipCidrs.some((text) => cidrContains(parseCidr(text)!, peer))) {
    throw new ApiError('forbidden_ip', `This token may not be used from ${peer}.`);
  }
  await touchToken(services.db, record.name, now);
  return { name: record.name, policy: record.policy };
}
