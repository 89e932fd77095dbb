import { isIPv4, isIPv6 } from 'node:net';

/** A parsed CIDR block: the network as a 128-bit number, in IPv6 space. */
export interface Cidr {
  readonly text: string;
  readonly network: bigint;
  readonly mask: bigint;
}

const ALL_ONES = (1n << 128n) - 1n;
// IPv4 lives in IPv6 space as ::ffff:a.b.c.d, so one matcher covers both
// families and an IPv4-mapped peer matches an IPv4 block.
const V4_MAPPED_PREFIX = 0xffffn << 32n;

function ipv4ToBigint(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigint(address: string): bigint {
  let text = address;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (isIPv4(maybeV4)) {
    const v4 = ipv4ToBigint(maybeV4);
    tail = [v4 >> 16n, v4 & 0xffffn];
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const [head = '', rest] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const restParts = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - headParts.length - restParts.length;
  const groups = [...headParts, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restParts];
  let value = groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
  if (tail.length === 2) value = (value & ~0xffffffffn) | (tail[0]! << 16n) | tail[1]!;
  return value;
}

/** An IP address as a 128-bit number (IPv4 as IPv4-mapped IPv6), or null if it is not one. */
export function ipToBigint(address: string): bigint | null {
  const bare = address.replace(/%.*$/, ''); // drop an IPv6 zone id (fe80::1%eth0)
  if (isIPv4(bare)) return V4_MAPPED_PREFIX | ipv4ToBigint(bare);
  if (isIPv6(bare)) return ipv6ToBigint(bare);
  return null;
}

/** Parses `a.b.c.d/n` or `x::y/n` (a bare address means a single host); null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const match = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!match) return null;
  const [, address = '', prefixText] = match;
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return null;
  const maxPrefix = v4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) return null;
  const bits = BigInt(v4 ? prefix + 96 : prefix);
  const mask = bits === 0n ? 0n : (ALL_ONES << (128n - bits)) & ALL_ONES;
  const value = ipToBigint(address);
  if (value === null) return null;
  return { text: text.trim(), network: value & mask, mask };
}

/** True when `address` falls inside `cidr`. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const value = ipToBigint(address);
  return value !== null && (value & cidr.mask) === cidr.network;
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string): boolean {
  return LOOPBACK.some((cidr) => cidrContains(cidr, address));
}

const LOOPBACK = [parseCidr('127.0.0.0/8')!, parseCidr('::1/128')!];
