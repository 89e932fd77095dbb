import { ApiError, type PublicError } from '../errors.js';
import type { Config } from '../config.js';
import { secretsEqual } from '../tokens/token-secret.js';
import { bearerToken } from './bearer.js';

const DISABLED: PublicError = {
  code: 'admin_disabled',
  message: 'Admin API disabled: set ADMIN_BOOTSTRAP_TOKEN (at least 16 random characters) and restart the service.',
};
const MISSING: PublicError = { code: 'unauthorized', message: 'Missing admin token: send "Authorization: Bearer <ADMIN_BOOTSTRAP_TOKEN>".' };
const WRONG: PublicError = { code: 'unauthorized', message: 'Wrong admin token.' };

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
