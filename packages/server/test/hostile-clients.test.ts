// Clients that misbehave on purpose: bodies held back before a token is shown,
// bodies too large or too slow, headers too large or too slow, nesting deep
// enough to exhaust a validator, odd methods. Every one is answered with a
// JSON 4xx (or 503 server_busy) and a stable code, and none costs memory
// before the caller is known.
import { ERROR_CODES } from '@clawdforge/shared';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { head, httpRequest, rawExchange, type RawResponse } from './support/raw-http.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { readAuditRows } from './support/audit.js';
import { ADMIN_TOKEN, api, mintToken, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

const expectEnvelope = (response: RawResponse, status: number, code: string) => {
  expect({ status: response.status, code: response.json?.error?.code, ok: response.json?.ok }).toEqual({ status, code, ok: false });
};

describe('nothing is read before the caller is known', () => {
  let server: TestServer;
  let budgeted: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_BUFFERED_BODY_BYTES: String(4 * 1024 * 1024) });
    budgeted = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_BUFFERED_BODY_BYTES: String(16 * 1024 * 1024) });
    token = await mintToken(server.url, 'app');
  });
  afterAll(async () => {
    await server.dispose();
    await budgeted.dispose();
  });

  it.each([
    ['POST', '/trpc/health.check', 405, 'method_not_allowed', {}],
    ['POST', '/run', 401, 'unauthorized', {}],
    ['POST', '/run', 401, 'unauthorized', { authorization: 'Bearer cf_wrong' }],
    ['POST', '/files', 401, 'unauthorized', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['PATCH', '/admin/tokens/app', 401, 'unauthorized', {}],
    ['POST', '/no/such/path', 404, 'not_found', {}],
    ['PUT', '/run', 405, 'method_not_allowed', {}],
    ['POST', '/trpc/runs.run', 401, 'unauthorized', {}],
  ] as const)('%s %s with a held-back 4 MB body: %i %s at once, connection closed', async (method, path, status, code, headers) => {
    const exchange = rawExchange(server.url, head(method, path, { 'content-type': 'application/json', 'content-length': 4_200_000, ...headers }));
    exchange.socket.write('{"prompt":"' + 'x'.repeat(1000));
    const response = await within(exchange.response, 5_000, 'answer');
    expect(response.status).toBe(status);
    expect(response.headers.connection).toBe('close');
    const body = path.startsWith('/trpc/') ? response.json.error : response.json;
    expect(body.error.code).toBe(code);
    exchange.socket.destroy();
  });

  it('answers OPTIONS with the methods a path takes, and * with all', async () => {
    for (const [path, allow] of [['/run', 'POST, OPTIONS'], ['/files/ff_x', 'GET, DELETE, HEAD, OPTIONS'], ['*', 'GET, HEAD, POST, PATCH, DELETE, OPTIONS']]) {
      const response = await within(rawExchange(server.url, head('OPTIONS', path!)).response, 5_000, 'answer');
      expect({ path, status: response.status, allow: response.headers.allow }).toEqual({ path, status: 204, allow });
    }
  });

  /** Sends 3 MB of a 3.5 MB body and stops: the body's buffer has grown to about 4 MiB. */
  const hold = (target: TestServer, bearer: string) => {
    const exchange = rawExchange(target.url, head('POST', '/run', { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'content-length': 3_500_000 }));
    exchange.socket.write('{"prompt":"' + 'x'.repeat(3_000_000));
    return exchange;
  };
  /** A complete 150 KB run request: 200 when it fits in the budget, 503 when it does not. */
  const probe = async (target: TestServer, bearer: string) => {
    const body = '{"prompt":"Reply with JSON: {\\"a\\":1}"' + ' '.repeat(150_000) + '}';
    const exchange = rawExchange(target.url, head('POST', '/run', { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }));
    exchange.socket.write(body);
    const answer = await within(exchange.response, 10_000, 'answer');
    exchange.socket.destroy();
    return answer;
  };

  it('refuses a body past the whole budget with 503 server_busy, and gives the budget back as bodies go', async () => {
    const other = await mintToken(server.url, 'other');
    const holder = hold(server, token);
    await waitFor(() => server.services.bodyBudget.heldBytes > 4_000_000, 5_000);
    const refused = await probe(server, other);
    expectEnvelope(refused, 503, 'server_busy');
    expect(refused.headers['retry-after']).toBe('1');
    holder.socket.destroy();
    await waitFor(() => server.services.bodyBudget.heldBytes === 0, 5_000);
    expect((await probe(server, other)).status).toBe(200);
    expect(server.services.bodyBudget.heldBytes).toBe(0); // a parsed body gives its share back, even while its run goes on
  });

  it('holds an app to its share (a quarter), and leaves the other apps and the admin theirs', async () => {
    const [greedy, modest] = await Promise.all([mintToken(budgeted.url, 'greedy'), mintToken(budgeted.url, 'modest')]);
    const holder = hold(budgeted, greedy);
    await waitFor(() => budgeted.services.bodyBudget.heldBytes > 4_000_000, 5_000);
    expectEnvelope(await probe(budgeted, greedy), 503, 'server_busy');
    expect((await probe(budgeted, modest)).status).toBe(200);
    expect((await api(budgeted.url, 'PATCH', '/admin/tokens/greedy', { token: ADMIN_TOKEN, body: { runs_per_day: 5 } })).status).toBe(200);
    holder.socket.destroy();
  });

  it('refuses a body sent in more than 262,144 pieces (a byte a piece) with 413, and takes one in small pieces below that', async () => {
    const small = rawExchange(server.url, head('POST', '/run', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    const body = '{"prompt":"Reply with JSON: {\\"a\\":1}"' + ' '.repeat(100_000) + '}';
    for (let i = 0; i < body.length; i += 16) small.socket.write(`${Math.min(16, body.length - i).toString(16)}\r\n${body.slice(i, i + 16)}\r\n`);
    small.socket.write('0\r\n\r\n');
    expect((await within(small.response, 10_000, 'answer')).status).toBe(200);
    small.socket.destroy();
    const exchange = rawExchange(server.url, head('POST', '/run', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    exchange.socket.write('1\r\n{\r\n' + '1\r\n \r\n'.repeat(270_000));
    const answer = await within(exchange.response, 10_000, 'answer');
    expectEnvelope(answer, 413, 'payload_too_large');
    exchange.socket.destroy();
  });

  it('caps tRPC bodies at 4 MiB as 413, declared or streamed', async () => {
    const declared = rawExchange(server.url, head('POST', '/trpc/runs.run', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': 5 * 1024 * 1024 }));
    const answer = await within(declared.response, 5_000, 'answer');
    expect({ status: answer.status, code: answer.json.error.data.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    declared.socket.destroy();

    const streamed = rawExchange(server.url, head('POST', '/trpc/runs.run', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 70; i++) streamed.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const refused = await within(streamed.response, 5_000, 'answer');
    expect(refused.status).toBe(413);
    streamed.socket.destroy();
  });
});

describe('no 5xx and no bare answer, whatever is sent', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
    token = await mintToken(server.url, 'app');
  });
  afterAll(() => server.dispose());

  it.each([
    ['arrays', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['objects', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['a prompt beside a deep value', `{"prompt":"hi","json_schema":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`],
  ])('refuses a body nested 10,000 deep (%s) with 400 invalid_request', async (_kind, body) => {
    const response = await api(server.url, 'POST', '/run', { token, body });
    expect({ status: response.status, code: response.body.error.code }).toEqual({ status: 400, code: 'invalid_request' });
    expect(response.body.error.message).toMatch(/nested deeper than 256 levels/);
  });

  it('answers a wrong method with 405 and Allow, HEAD included', async () => {
    const headRun = await within(rawExchange(server.url, head('HEAD', '/run')).response, 5_000, 'answer');
    expect({ status: headRun.status, allow: headRun.headers.allow }).toEqual({ status: 405, allow: 'POST, OPTIONS' });
    const getRun = await api(server.url, 'GET', '/run', { token });
    expect({ status: getRun.status, code: getRun.body.error.code, allow: getRun.headers.get('allow') }).toEqual({ status: 405, code: 'method_not_allowed', allow: 'POST, OPTIONS' });
    const headHealth = await within(rawExchange(server.url, head('HEAD', '/healthz')).response, 5_000, 'answer');
    expect(headHealth.status).toBe(200);
  });

  it('answers 431 with the JSON envelope for a 64 KB Authorization header', async () => {
    const response = await within(rawExchange(server.url, head('POST', '/run', { authorization: `Bearer ${'a'.repeat(64 * 1024)}` })).response, 5_000, 'answer');
    expectEnvelope(response, 431, 'headers_too_large');
  });

  it('answers 400 with the JSON envelope for something that is not HTTP', async () => {
    const response = await within(rawExchange(server.url, 'HELLO THERE\r\n\r\n').response, 5_000, 'answer');
    expectEnvelope(response, 400, 'invalid_request');
  });

  it('answers CONNECT with 405 and the JSON envelope', async () => {
    const response = await within(rawExchange(server.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n').response, 5_000, 'answer');
    expectEnvelope(response, 405, 'method_not_allowed');
  });

  it('ignores an Expect it does not know, and answers the request itself', async () => {
    const response = await within(rawExchange(server.url, head('GET', '/healthz', { expect: 'something-else' })).response, 5_000, 'answer');
    expect(response.status).toBe(200);
    const refused = await within(rawExchange(server.url, head('POST', '/run', { expect: 'x', 'content-length': 2 })).response, 5_000, 'answer');
    expectEnvelope(refused, 401, 'unauthorized');
  });

  it('answers an HTTP/1.1 request without Host with 400 in JSON, and serves HTTP/1.0 without one', async () => {
    expectEnvelope(await within(rawExchange(server.url, 'GET /healthz HTTP/1.1\r\n\r\n').response, 5_000, 'answer'), 400, 'invalid_request');
    const old = await within(rawExchange(server.url, 'GET /healthz HTTP/1.0\r\n\r\n').response, 5_000, 'answer');
    expect(old.status).toBe(200);
  });

  it('routes and checks the path a URL parser sees: absolute-form, dot segments, %2e and backslashes', async () => {
    const cases: Array<[string, number, string?]> = [
      ['GET http://127.0.0.1/healthz', 200],
      ['POST http://127.0.0.1/run', 401, 'unauthorized'],
      ['POST /healthz/../run', 401, 'unauthorized'],
      ['POST /healthz/%2e%2e/run', 401, 'unauthorized'],
      ['POST /healthz\\..\\run', 401, 'unauthorized'],
      ['GET /files/x/../../admin/tokens', 401, 'unauthorized'],
      ['GET nonsense', 400, 'invalid_request'],
    ];
    for (const [line, status, code] of cases) {
      const [method = '', target = ''] = line.split(' ');
      const response = await within(rawExchange(server.url, head(method, target, method === 'POST' ? { 'content-length': 0 } : {})).response, 5_000, line);
      expect({ line, status: response.status, code: response.json?.error?.code }).toEqual({ line, status, code });
    }
  });

  it('answers a tRPC call asking for a streamed (jsonl) answer in plain JSON', async () => {
    const response = await httpRequest(`${server.url}/trpc/health.check`, 'GET', { 'trpc-accept': 'application/jsonl' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.text).result.data.ok).toBe(true);
  });

  it('refuses a top-level JSON array (4 MB of numbers) with 400 before it becomes an object of 2 million keys', async () => {
    const body = `[${'0,'.repeat(2_000_000)}0]`;
    for (const path of ['/run', '/trpc/runs.run']) {
      const response = await api(server.url, 'POST', path, { token, body });
      const envelope = path.startsWith('/trpc/') ? response.body.error : response.body;
      expect({ path, status: response.status, code: envelope.error.code, message: envelope.error.message }).toEqual({
        path, status: 400, code: 'invalid_request', message: 'The request body must be a JSON object.',
      });
    }
  });

  it('refuses a tRPC batch of more than 10 procedures before running any', async () => {
    const names = Array.from({ length: 11 }, () => 'health.check').join(',');
    const response = await httpRequest(`${server.url}/trpc/${names}?batch=1`, 'GET', {});
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.error.code).toBe('invalid_request'); // one error for the request, not one per name
  });

  it('answers a body with broken framing after valid headers with a JSON 400, and closes', async () => {
    for (const [framing, body] of [['Transfer-Encoding: gzip', '{}'], ['Transfer-Encoding: chunked', 'zz\r\n{}\r\n0\r\n\r\n']] as const) {
      const exchange = rawExchange(server.url, `POST /run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n${framing}\r\n\r\n${body}`);
      expectEnvelope(await within(exchange.response, 5_000, framing), 400, 'invalid_request');
      await within(exchange.closed, 5_000, 'close');
    }
  });

  it('answers a Host that is not a host with a JSON 400, on tRPC paths too', async () => {
    for (const path of ['/trpc/health.check', '/healthz']) {
      const response = await within(rawExchange(server.url, `GET ${path} HTTP/1.1\r\nHost: [\r\n\r\n`).response, 5_000, path);
      const envelope = path.startsWith('/trpc/') ? response.json.error : response.json;
      expect({ status: response.status, code: envelope.error.code }).toEqual({ status: 400, code: 'invalid_request' });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('does not drain a large body sent with a GET: answers and closes', async () => {
    const exchange = rawExchange(server.url, head('GET', '/healthz', { 'content-length': 1_000_000_000 }));
    exchange.socket.write('x'.repeat(1000));
    const response = await within(exchange.response, 5_000, 'answer');
    expect({ status: response.status, connection: response.headers.connection }).toEqual({ status: 200, connection: 'close' });
    exchange.socket.destroy();
  });

  it('answers a tRPC path of 16,000 commas with one small error, not one per comma', async () => {
    const response = await httpRequest(`${server.url}/trpc/${','.repeat(16_000)}?batch=1`, 'GET', {});
    expect(response.status).toBe(400);
    expect(response.text.length).toBeLessThan(2_000);
    expect(JSON.parse(response.text).error.error.code).toBe('invalid_request');
  });

  it('answers a database error in the token check with a JSON 500, and keeps serving', async () => {
    const lookup = server.services.tokenLookup as unknown as { find: (...args: unknown[]) => unknown };
    const find = lookup.find;
    lookup.find = () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    try {
      const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'x' } });
      expect({ status: response.status, code: response.body.error.code }).toEqual({ status: 500, code: 'internal' });
    } finally {
      lookup.find = find;
    }
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('takes numbers sent as strings in a REST body, as the REST twin always has', async () => {
    await mintTokenWith(server.url, { name: 'coerced' });
    const rotated = await api(server.url, 'POST', '/admin/tokens/coerced/rotate', { token: ADMIN_TOKEN, body: { grace_secs: '60' } });
    expect(rotated.status).toBe(200);
  });

  it('runs nothing for a token revoked while its request body was still arriving', async () => {
    const slow = await mintTokenWith(server.url, { name: 'revoked-mid-body' });
    const body = JSON.stringify({ prompt: 'x' });
    const exchange = rawExchange(server.url, head('POST', '/run', { authorization: `Bearer ${slow}`, 'content-type': 'application/json', 'content-length': body.length }));
    exchange.socket.write(body.slice(0, 5));
    const before = readAuditRows(server.dataDir).length;
    expect((await api(server.url, 'DELETE', '/admin/tokens/revoked-mid-body', { token: ADMIN_TOKEN })).status).toBe(200);
    exchange.socket.write(body.slice(5));
    expectEnvelope(await within(exchange.response, 5_000, 'answer'), 401, 'unauthorized');
    expect(readAuditRows(server.dataDir).length).toBe(before);
    exchange.socket.destroy();
  });

  it('gives every request of a hostile corpus a JSON answer below 500 with a known code', async () => {
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];
    const paths = ['/', '/run', '/files', '/files/ff_nope', '/admin/tokens', '/admin/tokens/app', '/admin/runs?limit=-1', '/trpc/runs.run',
      '/trpc/nope.nope', '/trpc/runs.run,tokens.list?batch=1', '/openapi.json', '/%00', '/..%2f..%2fetc', '//run', '/run?x=' + 'y'.repeat(4000), '/healthz/..'];
    const bodies = [undefined, '{}', '[]', 'null', '"x"', '{', '{"prompt":null}', '{"prompt":"x","files":[1e309]}', '\u0000\u0001'];
    const auths: Array<Record<string, string>> = [{}, { authorization: `Bearer ${token}` }, { authorization: `Bearer ${ADMIN_TOKEN}` }, { authorization: 'Basic x' }];
    const failures: string[] = [];
    let count = 0;
    for (const method of methods) {
      for (const path of paths) {
        for (const headers of auths) {
          for (const body of method === 'POST' || method === 'PATCH' ? bodies : [undefined]) {
            count += 1;
            const response = await httpRequest(server.url + path, method, { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body);
            const { text } = response;
            const where = `${method} ${path.slice(0, 40)} ${Object.values(headers)[0]?.slice(0, 12) ?? '-'} ${body ?? '-'}: ${response.status}`;
            if (response.status >= 500) failures.push(`${where} ${text.slice(0, 120)}`);
            if (response.status >= 400 && method !== 'HEAD') {
              let parsed: any;
              try {
                parsed = JSON.parse(text);
              } catch {
                failures.push(`${where} not JSON: ${text.slice(0, 80)}`);
                continue;
              }
              const envelope = path.startsWith('/trpc/') ? (Array.isArray(parsed) ? parsed[0]?.error : parsed.error) : parsed;
              if (!ERROR_CODES.includes(envelope?.error?.code)) failures.push(`${where} no known code: ${text.slice(0, 120)}`);
            }
          }
        }
      }
    }
    expect(count).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('slow clients', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { httpTimeouts: { headersMs: 500, requestMs: 3_000, bodyIdleMs: 500 } });
    token = await mintToken(server.url, 'app');
  });
  afterAll(() => server.dispose());

  it('answers 408 request_timeout to headers that never finish', async () => {
    const exchange = rawExchange(server.url, 'POST /run HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expectEnvelope(await within(exchange.response, 5_000, 'answer'), 408, 'request_timeout');
    await within(exchange.closed, 5_000, 'close');
  });

  it('answers 408 request_timeout to a body that stops arriving, and closes', async () => {
    const exchange = rawExchange(server.url, head('POST', '/run', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': 100 }));
    exchange.socket.write('{"prompt":');
    expectEnvelope(await within(exchange.response, 5_000, 'answer'), 408, 'request_timeout');
    await within(exchange.closed, 10_000, 'close');
  });
});

describe('the log', () => {
  it('records a client that leaves mid-body once, quietly, with no status sent', async () => {
    const lines: Array<{ level: number; msg: string; status?: number | null; aborted?: boolean; path?: string }> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { logger });
    try {
      const token = await mintToken(server.url, 'app');
      lines.length = 0; // start-up said its piece
      for (let i = 0; i < 20; i++) {
        const exchange = rawExchange(server.url, head('POST', '/run', { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': 1000 }));
        // Gone once the service has the head and part of the body (a socket destroyed at once never sends them).
        await new Promise((resolve) => exchange.socket.write('{"prompt":"', resolve));
        exchange.socket.destroy();
      }
      const requests = () => lines.filter((line) => line.msg === 'request' && line.path === '/run');
      await waitFor(() => requests().length === 20, 5_000);
      expect(lines.filter((line) => line.level >= 40)).toEqual([]);
      expect(requests().every((line) => line.status === null && line.aborted === true)).toBe(true);
    } finally {
      await server.dispose();
    }
  });
});

describe('the log under a loop of refusals', () => {
  it('writes at most 30 request lines a minute for the refusals of a peer nobody knows, and every line for a known app', async () => {
    const lines: Array<{ msg: string; path?: string; peer?: string; suppressed?: number }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { logger });
    try {
      const token = await mintToken(server.url, 'app');
      lines.length = 0;
      for (let i = 0; i < 100; i++) await api(server.url, 'POST', '/run', { token: 'cf_wrong', body: {} });
      for (let i = 0; i < 3; i++) await api(server.url, 'GET', '/files/ff_nope', { token });
      // File tokens are redacted in the log.
      await waitFor(() => lines.filter((line) => line.path === '/files/ff_***').length === 3, 5_000);
      expect(lines.filter((line) => line.msg === 'request' && line.path === '/run')).toHaveLength(30);
    } finally {
      await server.dispose();
    }
  });
});

describe('the log under a loop of public requests', () => {
  it('writes at most 30 lines a minute for a peer nobody knows, OPTIONS included, each path cut to 256 characters', async () => {
    const lines: Array<{ msg: string; path?: string; method?: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { logger });
    try {
      lines.length = 0;
      const longPath = `/admin/tokens/${'x'.repeat(10_000)}`;
      for (let i = 0; i < 60; i++) await httpRequest(server.url + (i % 2 ? '/run' : longPath), 'OPTIONS', {});
      await waitFor(() => lines.filter((line) => line.msg === 'request').length >= 30, 5_000);
      const requests = lines.filter((line) => line.msg === 'request');
      expect(requests).toHaveLength(30);
      expect(Math.max(...requests.map((line) => line.path!.length))).toBeLessThan(300);
    } finally {
      await server.dispose();
    }
  });
});

describe('memory under held sockets', () => {
  const temp = makeTempDir('clawdforge-held-');
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ CLAUDE_BIN: FAKE_CLAUDE, DATA_DIR: temp.path, ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN }, temp.path);
  });
  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it('answers 300 tokenless sockets holding 4 MB bodies at once, without taking the bodies in', async () => {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    const exchanges = Array.from({ length: 300 }, () => {
      const exchange = rawExchange(server.url, head('POST', '/run', { 'content-type': 'application/json', 'content-length': 4_100_000 }));
      exchange.socket.write('{"prompt":"' + 'x'.repeat(32 * 1024));
      return exchange;
    });
    const answers = await within(Promise.all(exchanges.map((exchange) => exchange.response)), 20_000, 'answers');
    expect(answers.every((answer) => answer.status === 401)).toBe(true);
    // Buffering them would take 300 x 4 MB; the old code held 1.3 GB here.
    expect(rss() - before).toBeLessThan(100 * 1024 * 1024);
    for (const exchange of exchanges) exchange.socket.destroy();
  }, 60_000);
});
