// Expiry and rotation, on an injected clock: an expired token is refused like a
// revoked one; a rotated token's old plaintext works for exactly its grace.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { TestClock } from './support/test-clock.js';
import { ADMIN_TOKEN, api, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';

const clock = new TestClock(Date.parse('2026-11-28T10:00:00.000Z'));
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { clock });
});
afterAll(() => server.dispose());

const run = (token: string) => api(server.url, 'POST', '/run', { token, body: { prompt: 'Reply with JSON: {"ok": true}' } });
const admin = (method: string, path: string, body?: unknown) => api(server.url, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });

describe('expires_at', () => {
  it('works until the instant, then answers 401 like a revoked token', async () => {
    const token = await mintTokenWith(server.url, { name: 'expiring', expires_at: '2026-11-28T10:05:00.000Z' });
    expect((await run(token)).status).toBe(200);
    clock.advance(5 * 60_000 - 1);
    expect((await run(token)).status).toBe(200);
    clock.advance(1);
    const refused = await run(token);
    expectError(refused, 'unauthorized');
    expect(refused.body.error.message).toContain('expired');
    // An admin can extend it.
    await admin('PATCH', '/admin/tokens/expiring', { expires_at: '2026-12-01T00:00:00Z' });
    expect((await run(token)).status).toBe(200);
  });
});

describe('POST /admin/tokens/{name}/rotate', () => {
  it('without grace: the old plaintext stops at once, the new one keeps the policy', async () => {
    const old = await mintTokenWith(server.url, { name: 'rotate-now', models: ['haiku'] });
    const rotated = await admin('POST', '/admin/tokens/rotate-now/rotate', {});
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ name: 'rotate-now', token: expect.stringMatching(/^cf_/), previous_token_expires_at: null });
    expect(rotated.body.token).not.toBe(old);
    expectError(await run(old), 'unauthorized');
    expect((await run(rotated.body.token)).status).toBe(200);
    expectError(await api(server.url, 'POST', '/run', { token: rotated.body.token, body: { prompt: 'hi', model: 'opus' } }), 'model_not_allowed');
  });

  it('with grace: both work until the grace ends, then only the new one; revoking ends both', async () => {
    const old = await mintTokenWith(server.url, { name: 'rotate-grace' });
    const rotated = await admin('POST', '/admin/tokens/rotate-grace/rotate', { grace_secs: 60 });
    const graceEnds = new Date(clock.now().getTime() + 60_000).toISOString();
    expect(rotated.body.previous_token_expires_at).toBe(graceEnds);
    const listed = (await admin('GET', '/admin/tokens')).body.tokens.find((t: { name: string }) => t.name === 'rotate-grace');
    expect(listed.previous_token_expires_at).toBe(graceEnds);

    expect((await run(old)).status).toBe(200);
    expect((await run(rotated.body.token)).status).toBe(200);
    clock.advance(60_000);
    expectError(await run(old), 'unauthorized');
    expect((await run(rotated.body.token)).status).toBe(200);
    expect((await admin('GET', '/admin/tokens')).body.tokens.find((t: { name: string }) => t.name === 'rotate-grace').previous_token_expires_at).toBeNull();

    const again = await admin('POST', '/admin/tokens/rotate-grace/rotate', { grace_secs: 3600 });
    await admin('DELETE', '/admin/tokens/rotate-grace');
    expectError(await run(rotated.body.token), 'unauthorized');
    expectError(await run(again.body.token), 'unauthorized');
  });

  it('is logged without secrets, and refuses unknown names and bad grace', async () => {
    const old = await mintTokenWith(server.url, { name: 'rotate-logged' });
    const rotated = await admin('POST', '/admin/tokens/rotate-logged/rotate', { grace_secs: 5 });
    const { body } = await admin('GET', '/admin/audit?limit=1');
    expect(body.actions[0]).toMatchObject({
      action: 'token.rotate', target: 'rotate-logged',
      before: { name: 'rotate-logged', previous_token_expires_at: null },
      after: { name: 'rotate-logged', previous_token_expires_at: expect.any(String) },
    });
    const text = JSON.stringify(body);
    for (const secret of [old, rotated.body.token]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(createHash('sha256').update(secret).digest('hex'));
    }
    expectError(await admin('POST', '/admin/tokens/nobody/rotate', {}), 'not_found');
    // No body at all (curl -X POST) is the defaults: no grace.
    const bare = await fetch(`${server.url}/admin/tokens/rotate-logged/rotate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toMatchObject({ name: 'rotate-logged', previous_token_expires_at: null });
    expectError(await admin('POST', '/admin/tokens/rotate-logged/rotate', { grace_secs: -1 }), 'invalid_request');
    expectError(await admin('POST', '/admin/tokens/rotate-logged/rotate', { grace_secs: 31 * 86_400 }), 'invalid_request');
  });
});
