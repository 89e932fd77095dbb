import { ApiError } from '../errors.js';
import type { Config } from '../config.js';
import { secretsEqual } from '../tokens/token-secret.js';
import { bearerToken } from './bearer.js';

/** The second layer for /admin/*: the bootstrap token, compared in constant time. */
export function authenticateAdmin(config: Config, authorization: string | undefined): void {
  if (!config.adminToken) {
    throw new ApiError(
      'admin_disabled',
      'Admin API disabled: set ADMIN_BOOTSTRAP_TOKEN (at least 16 random characters) and restart the service.',
    );
  }
  const token = bearerToken(authorization);
  if (!token) throw new ApiError('unauthorized', 'Missing admin token: send "Authorization: Bearer <ADMIN_BOOTSTRAP_TOKEN>".');
  if (!secretsEqual(token, config.adminToken)) throw new ApiError('unauthorized', 'Wrong admin token.');
}
