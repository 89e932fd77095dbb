import { describe, expect, it } from 'vitest';
import { peerKey } from './connection-guard.js';

describe('peerKey', () => {
  it('counts IPv4 peers by address', () => {
    expect(peerKey('192.168.1.20')).toBe('192.168.1.20');
    expect(peerKey('192.168.1.21')).not.toBe(peerKey('192.168.1.20'));
  });

  it('counts an IPv6 peer by its /64, however the address is written', () => {
    expect(peerKey('2001:db8:1:2::1')).toBe(peerKey('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(peerKey('fe80::1%eth0')).toBe(peerKey('fe80::abcd'));
    expect(peerKey('2001:db8:1:3::1')).not.toBe(peerKey('2001:db8:1:2::1'));
  });
});
