import { createHash } from 'node:crypto';
import { DEFAULT_TOKEN_POLICY } from '@clawdforge/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { ADMIN_TOKEN, api, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

const admin = (method: string, path: string, body?: unknown) =>
  api(server.url, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });

describe('POST /admin/tokens', () => {
  it('mints a cf_ token, shown once, stored only as its SHA-256', async () => {
    const response = await admin('POST', '/admin/tokens', { name: 'cauldron', ip_cidrs: ['172.24.0.0/16'] });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      name: 'cauldron',
      token: expect.stringMatching(/^cf_[A-Za-z0-9_-]{43,}$/),
      ip_cidrs: ['172.24.0.0/16'],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ...DEFAULT_TOKEN_POLICY,
      webhook_secret: null, // no webhook_url, no secret
    });
    const { token } = response.body;

    const sqlite = new SQLite(join(server.dataDir, 'clawdforge.sqlite'), { readonly: true });
    const row = sqlite.prepare('select token_hash from tokens where name = ?').get('cauldron') as { token_hash: string };
    sqlite.close();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    for (const file of ['clawdforge.sqlite', 'clawdforge.sqlite-wal']) {
      expect(readFileSync(join(server.dataDir, file)).includes(token)).toBe(false);
    }
  });

  it('defaults ip_cidrs to none', async () => {
    const response = await admin('POST', '/admin/tokens', { name: 'no-cidrs' });
    expect(response.status).toBe(201);
    expect(response.body.ip_cidrs).toEqual([]);
  });

  it('answers 409 for a taken name', async () => {
    await admin('POST', '/admin/tokens', { name: 'taken' });
    const again = await admin('POST', '/admin/tokens', { name: 'taken' });
    expectError(again, 'conflict');
  });

  it.each([
    [{ name: 'Upper' }, 'name'],
    [{ name: '-leading-dash' }, 'name'],
    [{ name: 'x'.repeat(65) }, 'name'],
    [{ name: 'ok', ip_cidrs: ['10.0.0/33'] }, 'ip_cidrs.0'],
    [{ name: 'ok', ip_cidrs: '10.0.0.0/8' }, 'ip_cidrs'],
    [{ name: 'ok', extra: true }, 'extra'],
    [{}, 'name'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const response = await admin('POST', '/admin/tokens', body);
    expectError(response, 'invalid_request');
    expect(response.body.error.message).toContain(field);
  });

  it('answers 400 for a malformed JSON body and 415 for a non-JSON one', async () => {
    expectError(await admin('POST', '/admin/tokens', '{"name":'), 'invalid_request');
    const form = await api(server.url, 'POST', '/admin/tokens', {
      token: ADMIN_TOKEN,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(form, 'unsupported_media_type');
  });

  it('accepts JSON sent with a charset parameter', async () => {
    const response = await api(server.url, 'POST', '/admin/tokens', {
      token: ADMIN_TOKEN,
      body: { name: 'with-charset' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.status).toBe(201);
  });
});

describe('GET /admin/tokens', () => {
  it('lists names, cidrs and times, never a secret', async () => {
    const minted = await admin('POST', '/admin/tokens', { name: 'listed', ip_cidrs: ['10.0.0.0/8'] });
    const response = await admin('GET', '/admin/tokens');
    expect(response.status).toBe(200);
    const listed = response.body.tokens.find((token: { name: string }) => token.name === 'listed');
    expect(listed).toEqual({
      name: 'listed', ip_cidrs: ['10.0.0.0/8'], created_at: minted.body.created_at, last_used_at: null,
      ...DEFAULT_TOKEN_POLICY, previous_token_expires_at: null, stored_bytes: 0, stored_files: 0,
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(minted.body.token);
    expect(text).not.toContain(createHash('sha256').update(minted.body.token).digest('hex'));
  });
});

describe('DELETE /admin/tokens/{name}', () => {
  it('revokes, and a second revoke is 404', async () => {
    await admin('POST', '/admin/tokens', { name: 'short-lived' });
    const revoked = await admin('DELETE', '/admin/tokens/short-lived');
    expect(revoked).toMatchObject({ status: 200, body: { ok: true, name: 'short-lived' } });
    const names = (await admin('GET', '/admin/tokens')).body.tokens.map((token: { name: string }) => token.name);
    expect(names).not.toContain('short-lived');
    expectError(await admin('DELETE', '/admin/tokens/short-lived'), 'not_found');
  });

  it('answers 404 for an unknown name and 400 for an invalid one', async () => {
    expectError(await admin('DELETE', '/admin/tokens/never-minted'), 'not_found');
    expectError(await admin('DELETE', '/admin/tokens/NOT%20VALID'), 'invalid_request');
  });
});

describe('unknown paths', () => {
  it('get a JSON 404 in the error model', async () => {
    expectError(await api(server.url, 'GET', '/nope'), 'not_found');
    expectError(await api(server.url, 'POST', '/admin/nope', { token: ADMIN_TOKEN, body: {} }), 'not_found');
  });
});
