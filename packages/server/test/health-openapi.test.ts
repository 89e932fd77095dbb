import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ERROR_CODES } from '@clawdforge/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, startTestServer, type TestServer } from './support/test-server.js';

describe('GET /healthz', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { probeTtlMs: 60_000 });
  });
  afterAll(() => server.dispose());

  it('reports the CLI version, login state and database', async () => {
    const response = await api(server.url, 'GET', '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      claude_present: true,
      claude_version: '2.1.328 (Claude Code)',
      claude_logged_in: true,
      claude_auth_method: 'subscription_login',
      db: 'ok',
      uptime_s: expect.any(Number),
    });
  });

  it('answers a burst of probes from one cached CLI check', async () => {
    let spawned = 0;
    const probe = server.services.claudeProbe as unknown as { probe: () => Promise<unknown> };
    const original = probe.probe.bind(probe);
    probe.probe = () => ((spawned += 1), original());
    (server.services.claudeProbe as unknown as { cached: undefined }).cached = undefined;
    (server.services.health as unknown as { cached: undefined }).cached = undefined; // the /healthz snapshot (1 s)
    await Promise.all(Array.from({ length: 20 }, () => api(server.url, 'GET', '/healthz')));
    await api(server.url, 'GET', '/healthz');
    expect(spawned).toBe(1);
  });

  it('says ok:false, still with HTTP 200, when the CLI is missing', async () => {
    const missing = await startTestServer({ CLAUDE_BIN: '/nonexistent/claude' });
    try {
      const response = await api(missing.url, 'GET', '/healthz');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ok: false, claude_present: false, claude_version: null, db: 'ok' });
    } finally {
      await missing.dispose();
    }
  });

  it('reports a logged-out CLI', async () => {
    const loggedOut = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_LOGGED_IN: '0' });
    try {
      const response = await api(loggedOut.url, 'GET', '/healthz');
      expect(response.body).toMatchObject({ ok: true, claude_logged_in: false, claude_auth_method: 'none' });
    } finally {
      await loggedOut.dispose();
    }
  });
});

describe('GET /readyz', () => {
  it('is 200 when the database answers and the CLI is present and logged in', async () => {
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
    try {
      const response = await api(server.url, 'GET', '/readyz');
      expect(response).toMatchObject({
        status: 200,
        body: { ready: true, db: 'ok', claude_present: true, claude_logged_in: true, last_auth_failure: null },
      });
    } finally {
      await server.dispose();
    }
  });

  it.each([
    ['a logged-out CLI', { CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_LOGGED_IN: '0' }, { claude_present: true, claude_logged_in: false }],
    ['a missing CLI', { CLAUDE_BIN: '/nonexistent/claude' }, { claude_present: false, claude_logged_in: null }],
  ])('is 503 with %s, and says why', async (_, env, expected) => {
    const server = await startTestServer(env);
    try {
      const response = await api(server.url, 'GET', '/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ ready: false, db: 'ok', ...expected });
      expect((await api(server.url, 'GET', '/healthz')).status).toBe(200); // liveness is another question
    } finally {
      await server.dispose();
    }
  });
});

describe('GET /openapi.json', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it('is a valid OpenAPI document with every documented path', async () => {
    const { body } = await api(server.url, 'GET', '/openapi.json');
    await SwaggerParser.validate(structuredClone(body));
    expect(Object.keys(body.paths).sort()).toEqual(
      ['/admin/accounts', '/admin/accounts/{name}/disable', '/admin/accounts/{name}/enable', '/admin/audit', '/admin/runs', '/admin/runs/{run_id}', '/admin/tokens', '/admin/tokens/{name}', '/admin/tokens/{name}/rotate', '/admin/tokens/{name}/webhook-secret', '/admin/usage', '/admin/webhooks/deliveries', '/admin/webhooks/deliveries/{id}/redeliver', '/files', '/files/{file_token}', '/healthz', '/readyz', '/run', '/runs', '/runs/{run_id}', '/runs/{run_id}/events', '/sessions', '/sessions/{session_id}', '/sessions/{session_id}/fork', '/sessions/{session_id}/runs', '/sessions/{session_id}/turns'].sort(),
    );
    // Sessions: 201 when made (or forked), 202 for a turn as an async run, a turn answers as POST /run.
    expect(body.paths['/sessions'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SessionCreated' });
    expect(body.paths['/sessions/{session_id}/fork'].post.responses['201']).toBeDefined();
    expect(body.paths['/sessions/{session_id}/runs'].post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AsyncRunAccepted' });
    expect(body.paths['/sessions/{session_id}/turns'].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RunResponse' });
    // Async runs: 202 once queued; the events as SSE of the RunEvent schema, its members components of their own.
    expect(body.paths['/runs'].post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AsyncRunAccepted' });
    expect(body.paths['/runs/{run_id}/events'].get.responses['200'].content['text/event-stream'].schema).toEqual({ $ref: '#/components/schemas/RunEvent' });
    expect(body.components.schemas.RunEvent.oneOf.map((member: { $ref: string }) => member.$ref)).toEqual(
      ['Queued', 'Started', 'Text', 'Tool', 'Retry', 'RateLimit', 'Result', 'Error'].map((name) => `#/components/schemas/RunEvent${name}`),
    );
    expect(body.paths['/readyz'].get.responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Readiness' });
    expect(Object.keys(body.paths['/files/{file_token}']).sort()).toEqual(['delete', 'get']);
    expect(body.paths['/files'].post.requestBody.content['multipart/form-data'].schema.properties.file).toEqual(expect.objectContaining({ format: 'binary' }));
    expect(body.paths['/files'].post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FileInfo' });
    expect(body.components.schemas.FileInfo).toBeDefined();
    expect(Object.keys(body.paths['/admin/tokens'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(body.paths['/admin/tokens/{name}']).sort()).toEqual(['delete', 'patch']);
  });

  it('matches the committed openapi/openapi.json (run `npm run openapi` after changing the API)', async () => {
    const { body } = await api(server.url, 'GET', '/openapi.json');
    const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../../../openapi/openapi.json', import.meta.url)), 'utf8'));
    delete committed['x-generated'];
    expect(body).toEqual(committed);
  });

  it('describes errors with the real envelope and the bearer schemes', async () => {
    const { body } = await api(server.url, 'GET', '/openapi.json');
    expect(body.components.schemas.ErrorBody.properties.error.properties.code.enum).toEqual(ERROR_CODES);
    expect(body.paths['/run'].post.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    expect(body.paths['/run'].post.security).toEqual([{ appToken: [] }]);
    expect(body.paths['/admin/tokens'].post.security).toEqual([{ adminToken: [] }]);
    expect(body.paths['/admin/tokens'].post.responses['201']).toBeDefined();
    expect(body.paths['/files'].post.security).toEqual([{ appToken: [] }]);
    expect(body.paths['/files'].post.responses['413'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
    expect(body.paths['/healthz'].get.security).toBeUndefined();
  });

  it("declares /run's result as any JSON value", async () => {
    const { body } = await api(server.url, 'GET', '/openapi.json');
    const schema = body.components.schemas.RunResponse ?? body.paths['/run'].post.responses['200'].content['application/json'].schema;
    expect(schema.properties.result).not.toHaveProperty('type');
    expect(schema.required).toContain('result');
  });
});
