// Where a webhook may go: an http(s) URL whose host resolves, every address of
// it, into ALLOW_CIDRS, WEBHOOK_ALLOW_CIDRS or loopback: the LAN, never an
// arbitrary host. Checked when the URL is set and again at each attempt (DNS
// may have changed), and the attempt connects to the address that was checked.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Cidr } from '@clawdforge/shared';
import { isPeerAllowed } from '../auth/peer-access.js';
import { ApiError } from '../errors.js';

export interface WebhookTarget {
  url: URL;
  /** The checked address the request connects to. */
  address: string;
}

export async function resolveWebhookTarget(text: string, allowed: readonly Cidr[]): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('invalid_request', `webhook_url: ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError('invalid_request', 'webhook_url: only http:// and https:// are delivered to');
  if (url.username || url.password) throw new ApiError('invalid_request', 'webhook_url: no credentials in the URL; check the webhook-signature header instead');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    throw new ApiError('invalid_request', `webhook_url: ${host} does not resolve`);
  }
  const outside = addresses.filter((address) => !isPeerAllowed(address, allowed));
  if (addresses.length === 0 || outside.length > 0) {
    throw new ApiError('invalid_request', `webhook_url: ${host} resolves to ${outside.join(', ') || 'nothing'}, outside ALLOW_CIDRS and WEBHOOK_ALLOW_CIDRS`);
  }
  return { url, address: addresses[0]! };
}
