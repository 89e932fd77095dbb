import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const APP_TOKEN_PREFIX = 'cf_';

/** A fresh app token: `cf_` + 32 random bytes, base64url. */
export function generateAppToken(): string {
  return APP_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Hex SHA-256: the only form in which a token is stored or looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two secrets in time independent of where they differ (hashing first equalizes lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
