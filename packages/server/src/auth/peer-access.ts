import { cidrContains, isLoopback, type Cidr } from '@clawdforge/shared';

/** Normalizes a socket address: IPv4-mapped IPv6 (`::ffff:a.b.c.d`) becomes plain IPv4. */
export function normalizePeer(address: string | undefined): string {
  if (!address) return '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** The first layer: loopback always, anything else only inside one of the allowed blocks. */
export function isPeerAllowed(peer: string, allowCidrs: readonly Cidr[]): boolean {
  return isLoopback(peer) || allowCidrs.some((cidr) => cidrContains(cidr, peer));
}
