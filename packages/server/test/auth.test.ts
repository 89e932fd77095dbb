// The two layers, in order: the peer's address, then the bearer token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;
let appToken: string;
let v4Url: string;
let v6Url: string;
beforeAll(async () => {
  // Dual-stack on loopback: 127.0.0.1 arrives as ::ffff:127.0.0.1, ::1 as ::1.
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, HOST: '::' });
  v4Url = `http://127.0.0.1:${server.port}`;
  v6Url = `http://[::1]:${server.port}`;
  appToken = await mintToken(v4Url, 'app');
});
afterAll(() => server.dispose());

const runWith = (headers: Record<string, string>, url = v4Url) =>
  api(url, 'POST', '/run', { body: { prompt: 'hi' }, headers });

describe('app routes', () => {
  it('accept a live app token', async () => {
    expect((await runWith({ authorization: `Bearer ${appToken}` })).status).toBe(200);
  });

  it.each([
    ['no header', {}],
    ['another scheme', { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' }],
    ['a bare token', { authorization: 'cf_abc' }],
    ['a wrong token', { authorization: 'Bearer cf_' + 'x'.repeat(43) }],
    ['the admin token', { authorization: `Bearer ${ADMIN_TOKEN}` }],
  ])('refuse %s with 401', async (_, headers) => {
    expectError(await runWith(headers), 'unauthorized');
  });

  it('refuse a revoked token at once', async () => {
    const token = await mintToken(v4Url, 'soon-revoked');
    expect((await runWith({ authorization: `Bearer ${token}` })).status).toBe(200);
    await api(v4Url, 'DELETE', '/admin/tokens/soon-revoked', { token: ADMIN_TOKEN });
    expectError(await runWith({ authorization: `Bearer ${token}` }), 'unauthorized');
  });

  it('update last_used_at on use', async () => {
    const token = await mintToken(v4Url, 'tracked');
    const before = (await api(v4Url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN })).body.tokens.find((t: any) => t.name === 'tracked');
    expect(before.last_used_at).toBeNull();
    await runWith({ authorization: `Bearer ${token}` });
    const after = (await api(v4Url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN })).body.tokens.find((t: any) => t.name === 'tracked');
    expect(Date.parse(after.last_used_at)).toBeGreaterThanOrEqual(Date.parse(before.created_at));
  });
});

describe("a token's own ip_cidrs", () => {
  it('let the token in only from a matching address (IPv4 and IPv6 loopback)', async () => {
    const v6Only = await mintToken(v4Url, 'v6-only', ['::1/128']);
    const v4Only = await mintToken(v4Url, 'v4-only', ['127.0.0.0/8']);
    expect((await runWith({ authorization: `Bearer ${v6Only}` }, v6Url)).status).toBe(200);
    expectError(await runWith({ authorization: `Bearer ${v6Only}` }, v4Url), 'forbidden_ip');
    expect((await runWith({ authorization: `Bearer ${v4Only}` }, v4Url)).status).toBe(200);
    expectError(await runWith({ authorization: `Bearer ${v4Only}` }, v6Url), 'forbidden_ip');
  });

  it('ignore X-Forwarded-For and friends', async () => {
    const v6Only = await mintToken(v4Url, 'no-spoofing', ['::1/128']);
    const spoofed = await runWith(
      { authorization: `Bearer ${v6Only}`, 'x-forwarded-for': '::1', 'x-real-ip': '::1', forwarded: 'for="[::1]"' },
      v4Url,
    );
    expectError(spoofed, 'forbidden_ip');
  });
});

describe('admin routes', () => {
  it('refuse an app token, a wrong token and no token with 401', async () => {
    expectError(await api(v4Url, 'GET', '/admin/tokens', { token: appToken }), 'unauthorized');
    expectError(await api(v4Url, 'GET', '/admin/tokens', { token: 'not-the-admin-token' }), 'unauthorized');
    expectError(await api(v4Url, 'GET', '/admin/tokens'), 'unauthorized');
  });

  it('answer 503 admin_disabled, saying how to enable them, when ADMIN_BOOTSTRAP_TOKEN is unset', async () => {
    const noAdmin = await startTestServer({ ADMIN_BOOTSTRAP_TOKEN: '' });
    try {
      const response = await api(noAdmin.url, 'GET', '/admin/tokens', { token: 'anything' });
      expectError(response, 'admin_disabled');
      expect(response.body.error.message).toContain('ADMIN_BOOTSTRAP_TOKEN');
    } finally {
      await noAdmin.dispose();
    }
  });
});

describe('the tRPC twin', () => {
  it('serves the same procedures with the same auth under /trpc', async () => {
    const health = await api(v4Url, 'GET', '/trpc/health.check');
    expect(health.body.result.data).toMatchObject({ claude_present: true, db: 'ok' });
    const denied = await api(v4Url, 'GET', '/trpc/tokens.list');
    expect(denied.status).toBe(401);
    expect(denied.body.error.data.code).toBe('UNAUTHORIZED');
    const listed = await api(v4Url, 'GET', '/trpc/tokens.list', { token: ADMIN_TOKEN });
    expect(listed.body.result.data.tokens.map((t: any) => t.name)).toContain('app');
  });
});
