// X-Request-Id: on every response, in every error body, in the audit row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, mintToken, startTestServer, type TestServer } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
  token = await mintToken(server.url, 'app');
});
afterAll(() => server.dispose());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  it("echoes a well-formed id from the caller", async () => {
    const response = await api(server.url, 'GET', '/healthz', { headers: { 'x-request-id': 'recipe-app:42.a_b' } });
    expect(response.headers.get('x-request-id')).toBe('recipe-app:42.a_b');
  });

  it.each(['', 'has spaces', 'x'.repeat(129), 'new\\nline', '<script>'])('replaces a malformed id %j with a new one', async (given) => {
    const response = await api(server.url, 'GET', '/healthz', { headers: { 'x-request-id': given } });
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('generates one when none is sent, different per request', async () => {
    const [a, b] = await Promise.all([api(server.url, 'GET', '/healthz'), api(server.url, 'GET', '/healthz')]);
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('is in every kind of error body', async () => {
    const cases = [
      await api(server.url, 'POST', '/run', { body: { prompt: 'x' } }), // 401 from a procedure
      await api(server.url, 'POST', '/run', { token, body: { prompt: '' } }), // 400 validation
      await api(server.url, 'POST', '/run', { token, body: '{"prompt":' }), // 400 bad JSON, before tRPC
      await api(server.url, 'GET', '/no-such-path'), // 404 from trpc-to-openapi
      await api(server.url, 'POST', '/files', { token, body: { file: 'x' } }), // 415 from the upload route
      await api(server.url, 'POST', '/run', { token, body: { prompt: '[[exit:1]]' } }), // 502 from a run
    ];
    for (const response of cases) {
      expect({ status: response.status, request_id: response.body.error.request_id }).toEqual({
        status: response.status,
        request_id: response.headers.get('x-request-id'),
      });
    }
    const trpc = await api(server.url, 'GET', '/trpc/tokens.list', { headers: { 'x-request-id': 'trpc-call-1' } });
    expect(trpc.body.error.error.request_id).toBe('trpc-call-1');
  });

  it("is in the run's audit row", async () => {
    const ok = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi' }, headers: { 'x-request-id': 'audit-me-1' } });
    const failed = await api(server.url, 'POST', '/run', { token, body: { prompt: '[[exit:3]]' }, headers: { 'x-request-id': 'audit-me-2' } });
    const rows = readAuditRows(server.dataDir);
    expect(rows.find((row) => row.id === ok.body.run_id)?.request_id).toBe('audit-me-1');
    expect(rows.find((row) => row.request_id === 'audit-me-2')).toMatchObject({ status: 'error', error_code: 'claude_error' });
    expect(failed.body.error.request_id).toBe('audit-me-2');
  });

  it('is on a successful upload too', async () => {
    const response = await uploadFile(server.url, token, 'x');
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });
});
