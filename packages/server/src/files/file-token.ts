import { randomBytes } from 'node:crypto';

/** A fresh file token: `ff_` + 24 random bytes, base64url (32 characters). */
export function generateFileToken(): string {
  return 'ff_' + randomBytes(24).toString('base64url');
}
