// Checking a webhook from the service (Standard Webhooks 1.0) before trusting
// it: the signature over `{id}.{timestamp}.{raw body}` with the app's whsec_
// secret, compared in constant time, and a timestamp close to now (a captured
// delivery replayed later is refused).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookPayload } from '@clawdforge/shared';
import { ClawdforgeError } from './errors.js';

/** A webhook that did not verify: missing headers, a bad signature, or a timestamp too far from now. */
export class WebhookVerificationError extends ClawdforgeError {
  override name = 'WebhookVerificationError';
}

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies a delivery and returns its payload; throws WebhookVerificationError.
 * @param secret the `whsec_...` secret shown when the webhook was set
 * @param headers the request's headers (a Node IncomingHttpHeaders or a fetch Headers)
 * @param rawBody the body exactly as received, before any JSON parsing
 */
export function verifyWebhook(secret: string, headers: Headers, rawBody: string | Uint8Array, options: { toleranceSecs?: number; now?: Date } = {}): WebhookPayload {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('invalid_response', 'Missing webhook-id, webhook-timestamp or webhook-signature.');
  const seconds = Number(timestamp);
  const nowSecs = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isInteger(seconds) || Math.abs(nowSecs - seconds) > (options.toleranceSecs ?? 300)) {
    throw new WebhookVerificationError('invalid_response', 'The webhook timestamp is too far from now.');
  }
  const body = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  // The header may carry several space-separated signatures (during a secret rotation, say); one must match.
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('invalid_response', 'The webhook signature does not match.');
  return JSON.parse(body) as WebhookPayload;
}
