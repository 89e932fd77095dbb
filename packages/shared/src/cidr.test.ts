import { describe, expect, it } from 'vitest';
import { cidrContains, ipToBigint, isLoopback, parseCidr } from './cidr.js';

const contains = (cidr: string, address: string) => cidrContains(parseCidr(cidr)!, address);

describe('parseCidr', () => {
  it.each(['10.0.0.0/8', '192.168.0.7', '0.0.0.0/0', '::/0', 'fd00::/8', '::1', '::ffff:10.0.0.0/104', '2001:db8::/32'])(
    'accepts %s',
    (text) => expect(parseCidr(text)).not.toBeNull(),
  );

  it.each(['10.0.0/33', '10.0.0.0/33', '10.0.0.256/8', 'fd00::/129', 'nonsense', '', '10.0.0.0/', '/8', '10.0.0.0/8/8', '1.2.3.4/-1', 'fd00:::1/64'])(
    'rejects %j',
    (text) => expect(parseCidr(text)).toBeNull(),
  );
});

describe('cidrContains', () => {
  it('matches IPv4 addresses inside and outside a block', () => {
    expect(contains('192.168.0.0/24', '192.168.0.7')).toBe(true);
    expect(contains('192.168.0.0/24', '192.168.1.7')).toBe(false);
    expect(contains('172.24.0.0/16', '172.24.255.255')).toBe(true);
    expect(contains('172.24.0.0/16', '172.25.0.0')).toBe(false);
  });

  it('treats a bare address as a single host', () => {
    expect(contains('10.1.2.3', '10.1.2.3')).toBe(true);
    expect(contains('10.1.2.3', '10.1.2.4')).toBe(false);
  });

  it('matches IPv6 blocks', () => {
    expect(contains('fd00::/8', 'fd12:3456::1')).toBe(true);
    expect(contains('fd00::/8', 'fe80::1')).toBe(false);
    expect(contains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(contains('::1/128', '::1')).toBe(true);
  });

  it('matches an IPv4-mapped IPv6 peer against an IPv4 block, both ways', () => {
    expect(contains('192.168.0.0/24', '::ffff:192.168.0.7')).toBe(true);
    expect(contains('192.168.0.0/24', '::ffff:192.168.9.7')).toBe(false);
    expect(contains('::ffff:192.168.0.0/120', '192.168.0.7')).toBe(true);
  });

  it('keeps IPv4 blocks from matching unrelated IPv6 addresses', () => {
    expect(contains('0.0.0.0/0', '::1')).toBe(false);
    expect(contains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(contains('::/0', '10.0.0.1')).toBe(true);
  });

  it('refuses input that is not an address', () => {
    expect(contains('0.0.0.0/0', 'localhost')).toBe(false);
    expect(contains('::/0', '')).toBe(false);
    expect(ipToBigint('1.2.3')).toBeNull();
  });

  it('ignores an IPv6 zone id', () => {
    expect(contains('fe80::/10', 'fe80::1%eth0')).toBe(true);
  });
});

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) =>
    expect(isLoopback(address)).toBe(true),
  );
  it.each(['10.0.0.1', '::2', '::ffff:10.0.0.1', '128.0.0.1', ''])('%j is not loopback', (address) =>
    expect(isLoopback(address)).toBe(false),
  );
});
