import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateAppToken, hashToken, secretsEqual } from './token-secret.js';

describe('generateAppToken', () => {
  it('is cf_ followed by 32 random bytes in base64url', () => {
    const token = generateAppToken();
    expect(token).toMatch(/^cf_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateAppToken));
    expect(tokens.size).toBe(1000);
  });
});

describe('hashToken', () => {
  it('is the hex SHA-256 of the plaintext', () => {
    expect(hashToken('cf_abc')).toBe(createHash('sha256').update('cf_abc').digest('hex'));
    expect(hashToken('cf_abc')).not.toBe(hashToken('cf_abd'));
  });
});

describe('secretsEqual', () => {
  it('is true only for identical secrets, whatever their lengths', () => {
    expect(secretsEqual('same-secret', 'same-secret')).toBe(true);
    expect(secretsEqual('same-secret', 'same-secreT')).toBe(false);
    expect(secretsEqual('short', 'a-much-longer-secret')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
  });
});
