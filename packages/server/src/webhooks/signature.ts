// Standard Webhooks 1.0 signing: the secret is `whsec_` and base64 key bytes;
// the signature header is `v1,` and the base64 HMAC-SHA256, keyed by those
// bytes, of `{webhook-id}.{webhook-timestamp}.{body}`.
import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: 24 random bytes. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** The `webhook-signature` header's value for one attempt. */
export function signWebhook(secret: string, id: string, timestampSecs: number, body: string): string {
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSecs}.${body}`).digest('base64')}`;
}
