// The SDK against a real service process (fake CLI): every method, every kind of error.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FAKE_CLAUDE } from '../../server/test/support/processes.js';
import { startServerProcess, type ServerProcess } from '../../server/test/support/server-process.js';
import { makeTempDir } from '../../server/test/support/temp-dir.js';
import { createServer as createHttpServer } from 'node:http';
import {
  APIConnectionError,
  APITimeoutError,
  AbortedError,
  AuthenticationError,
  BadRequestError,
  Clawdforge,
  ClawdforgeAdmin,
  ClawdforgeError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnavailableError,
  verifyWebhook,
  WebhookVerificationError,
} from '../src/index.js';
import { backoffMs } from '../src/transport.js';

const ADMIN = 'sdk-admin-token-0123456789abcdef';
const temp = makeTempDir('clawdforge-sdk-');
let service: ServerProcess;
let admin: ClawdforgeAdmin;
let client: Clawdforge;

beforeAll(async () => {
  service = await startServerProcess(
    {
      DATA_DIR: join(temp.path, 'data'),
      CLAUDE_CONFIG_DIR: join(temp.path, 'claude'), // where sessions' transcripts go
      ADMIN_BOOTSTRAP_TOKEN: ADMIN,
      CLAUDE_BIN: FAKE_CLAUDE,
      MAX_CONCURRENT_RUNS: '1',
      MAX_QUEUED_RUNS: '0',
    },
    temp.path,
  );
  admin = new ClawdforgeAdmin({ baseUrl: service.url, adminToken: ADMIN });
  const minted = await admin.tokens.create({ name: 'sdk-app' });
  client = new Clawdforge({ baseUrl: service.url, token: minted.token });
});
afterAll(async () => {
  await service?.stop();
  temp.remove();
});

/** Awaits `promise`, expecting a ClawdforgeError, and returns it. */
async function failure(promise: Promise<unknown>): Promise<ClawdforgeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClawdforgeError);
  return error as ClawdforgeError;
}

describe('Clawdforge', () => {
  it('health() reports the service', async () => {
    expect(await client.health()).toMatchObject({ ok: true, claude_present: true, db: 'ok' });
  });

  it('run() returns the parsed answer', async () => {
    const response = await client.run({ prompt: '[[text:{"hello": "world"}]]' });
    expect(response).toMatchObject({ ok: true, result: { hello: 'world' }, run_id: expect.stringMatching(/^run_/) });
  });

  it('run() returns a text answer as a string', async () => {
    expect((await client.run({ prompt: '[[text:just words]]' })).result).toBe('just words');
  });

  it('run({ schema }) validates and types the result', async () => {
    const Ingredient = z.object({ qty: z.number(), unit: z.string() });
    const response = await client.run({ prompt: '[[text:{"qty": 2, "unit": "cup"}]]', schema: Ingredient });
    const qty: number = response.result.qty; // typed by the schema
    expect(qty).toBe(2);
    const error = await failure(client.run({ prompt: '[[text:{"qty": "two"}]]', schema: Ingredient }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
  });

  it('runStructured() sends the zod schema as json_schema and returns the typed structured output', async () => {
    const Ingredient = z.object({ qty: z.number(), unit: z.string() });
    const response = await client.runStructured({ prompt: '[[structured:{"qty": 3, "unit": "tbsp"}]]', schema: Ingredient });
    const unit: string = response.result.unit;
    expect(response.result).toEqual({ qty: 3, unit: 'tbsp' });
    expect(unit).toBe('tbsp');
    const echoed = await client.runStructured({ prompt: '[[structured_args]]', schema: z.object({ args: z.array(z.string()) }) });
    const sent = JSON.parse(echoed.result.args[echoed.result.args.indexOf('--json-schema') + 1]!);
    expect(sent).toMatchObject({ type: 'object', required: ['args'], additionalProperties: false });
    expect(await failure(client.runStructured({ prompt: '[[schema_fail]]', schema: Ingredient }))).toMatchObject({ code: 'schema_not_satisfied', status: 422 });
    expect(await failure(client.runStructured({ prompt: 'hi', schema: z.object({ a: z.string() }).or(z.string()) as never }))).toMatchObject({
      code: 'invalid_request',
      status: 400,
    });
  });

  it('uploadFile() streams a path, bytes, a Blob and a Readable; getFile() and deleteFile() follow', async () => {
    const path = join(temp.path, 'recipe.txt');
    writeFileSync(path, 'from a path');
    const uploads = [
      await client.uploadFile(path, { ttlSecs: 600 }),
      await client.uploadFile(Buffer.from('from bytes'), { filename: 'bytes.txt', contentType: 'text/plain' }),
      await client.uploadFile(new Blob(['from a blob'], { type: 'text/plain' }), { filename: 'blob.txt' }),
      await client.uploadFile(Readable.from([Buffer.from('from '), Buffer.from('a stream')]), { filename: 'stream.txt' }),
    ];
    expect(uploads.map((file) => [file.name, file.size])).toEqual([
      ['recipe.txt', 11],
      ['bytes.txt', 10],
      ['blob.txt', 11],
      ['stream.txt', 13],
    ]);
    expect(uploads[0]!.ttl_secs).toBe(600);
    expect(await client.getFile(uploads[0]!.file_token)).toEqual(uploads[0]);

    const response = await client.run({ prompt: 'read them', files: uploads.map((file) => file.file_token) });
    expect((response.result as { cwd_files: string[] }).cwd_files.sort()).toEqual(['file-1.txt', 'file-2.txt', 'file-3.txt', 'file-4.txt']);
    expect((response.result as { prompt: string }).prompt).toContain('@file-4.txt (uploaded as "stream.txt")');

    await client.deleteFile(uploads[0]!.file_token);
    expect(await failure(client.getFile(uploads[0]!.file_token))).toMatchObject({ code: 'file_not_found', status: 404 });
  });
});

describe('ClawdforgeAdmin.accounts', () => {
  it('lists the Claude accounts, takes one out of rotation and puts it back; runs go where they can', async () => {
    const dir = join(temp.path, 'accounts');
    mkdirSync(join(dir, 'main'), { recursive: true });
    mkdirSync(join(dir, 'alt'), { recursive: true });
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify([
      { name: 'main', type: 'config_dir', config_dir: join(dir, 'main'), priority: 2 },
      { name: 'alt', type: 'config_dir', config_dir: join(dir, 'alt'), priority: 1 },
    ]));
    const withAccounts = await startServerProcess(
      { DATA_DIR: join(dir, 'data'), ADMIN_BOOTSTRAP_TOKEN: ADMIN, CLAUDE_BIN: FAKE_CLAUDE, CLAUDE_ACCOUNTS_FILE: join(dir, 'accounts.json') },
      temp.path,
    );
    try {
      const accountsAdmin = new ClawdforgeAdmin({ baseUrl: withAccounts.url, adminToken: ADMIN });
      const app = new Clawdforge({ baseUrl: withAccounts.url, token: (await accountsAdmin.tokens.create({ name: 'sdk-accounts' })).token });
      expect((await accountsAdmin.accounts.list()).map((account) => [account.name, account.state, account.max_concurrent])).toEqual([
        ['main', 'ready', null],
        ['alt', 'ready', null],
      ]);
      const loginOf = async () => ((await app.run({ prompt: 'which login' })).result as { env: { CLAUDE_CONFIG_DIR: string } }).env.CLAUDE_CONFIG_DIR;
      expect(await loginOf()).toBe(join(dir, 'main'));
      expect(await accountsAdmin.accounts.disable('main')).toMatchObject({ name: 'main', state: 'disabled' });
      expect(await loginOf()).toBe(join(dir, 'alt'));
      expect(await accountsAdmin.accounts.enable('main')).toMatchObject({ state: 'ready' });
      expect(await failure(accountsAdmin.accounts.enable('nobody'))).toMatchObject({ code: 'not_found', status: 404 });
    } finally {
      await withAccounts.stop();
    }
  });
});

describe('ClawdforgeAdmin.runs', () => {
  it('lists the audit log page by page and gets one run with its prompt', async () => {
    const done = await client.run({ prompt: 'audit this one' });
    const first = await admin.runs.list({ limit: 1, app: 'sdk-app' });
    expect(first.runs).toHaveLength(1);
    expect(first.next_cursor).not.toBeNull();
    const second = await admin.runs.list({ limit: 1, app: 'sdk-app', cursor: first.next_cursor! });
    expect(second.runs[0]!.run_id).not.toBe(first.runs[0]!.run_id);
    expect(await admin.runs.get(done.run_id)).toMatchObject({ run_id: done.run_id, prompt: 'audit this one', status: 'ok' });
    expect(await failure(admin.runs.get('run_nope'))).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('reports usage per app', async () => {
    const report = await admin.usage({ group_by: 'app' });
    expect(report.group_by).toBe('app');
    expect(report.groups.find((group) => group.key === 'sdk-app')?.runs).toBeGreaterThan(0);
  });

  it('tokens.update() changes a policy, rotate() issues a new plaintext, and runs obey both', async () => {
    const created = await admin.tokens.create({ name: 'sdk-policy', models: ['haiku'], tools: ['Read'] });
    expect(created).toMatchObject({ models: ['haiku'], tools: ['Read'], runs_per_hour: null });
    const app = new Clawdforge({ baseUrl: service.url, token: created.token, maxRetries: 0 });
    expect(await failure(app.run({ prompt: 'hi', model: 'opus' }))).toMatchObject({ code: 'model_not_allowed', status: 403 });
    expect(await failure(app.run({ prompt: 'hi', tools: ['Bash'] }))).toMatchObject({ code: 'tool_not_allowed', status: 403 });

    const updated = await admin.tokens.update('sdk-policy', { models: null, runs_per_hour: 1 });
    expect(updated).toMatchObject({ name: 'sdk-policy', models: null, tools: ['Read'], runs_per_hour: 1 });
    expect((await app.run({ prompt: '[[text:ok]]', model: 'opus' })).result).toBe('ok');
    const overQuota = await failure(app.run({ prompt: 'hi' }));
    expect(overQuota).toMatchObject({ code: 'quota_exceeded', status: 429 });
    expect(overQuota.retryAfter).toBeGreaterThan(0);

    const rotated = await admin.tokens.rotate('sdk-policy', { grace_secs: 120 });
    expect(rotated).toMatchObject({ name: 'sdk-policy', token: expect.stringMatching(/^cf_/), previous_token_expires_at: expect.any(String) });
    const listed = (await admin.tokens.list()).find((token) => token.name === 'sdk-policy');
    expect(listed?.previous_token_expires_at).toBe(rotated.previous_token_expires_at);
    const actions = (await admin.actions.list({ limit: 2 })).actions.map((action) => action.action);
    expect(actions).toEqual(['token.rotate', 'token.update']);
  });

  it('lists the admin action log', async () => {
    await admin.tokens.create({ name: 'sdk-logged' });
    const page = await admin.actions.list({ limit: 1 });
    expect(page.actions[0]).toMatchObject({ action: 'token.create', target: 'sdk-logged', actor: '127.0.0.1' });
  });
});

describe('errors', () => {
  it.each([
    ['[[not_logged_in]]', 'claude_not_authenticated', 503],
    ['[[api_error:529:overloaded_error]]', 'claude_overloaded', 503],
    ['[[exit:1]]', 'claude_error', 502],
  ] as const)('a run answered %s is a ClawdforgeError %s', async (prompt, code, status) => {
    expect(await failure(client.run({ prompt }))).toMatchObject({ code, status });
  });

  it('carry Retry-After as retryAfter', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 120;
    const error = await failure(client.run({ prompt: `[[usage_limit:${resetAt}]]` }));
    expect(error.code).toBe('claude_rate_limited');
    expect(error.retryAfter).toBeGreaterThan(100);
  });

  it('a run past timeout_secs is claude_timeout', async () => {
    expect(await failure(client.run({ prompt: '[[sleep:5000]]', timeout_secs: 1 }))).toMatchObject({ code: 'claude_timeout', status: 504 });
  });

  it('a wrong token is unauthorized, an invalid request is invalid_request', async () => {
    const stranger = new Clawdforge({ baseUrl: service.url, token: 'cf_nope' });
    const unauthorized = await failure(stranger.run({ prompt: 'x' }));
    expect(unauthorized).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(unauthorized.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await failure(client.run({ prompt: '' }))).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('admin: a taken name is conflict, a wrong admin token unauthorized, revoke removes', async () => {
    await admin.tokens.create({ name: 'twice' });
    expect(await failure(admin.tokens.create({ name: 'twice' }))).toMatchObject({ code: 'conflict', status: 409 });
    expect((await admin.tokens.list()).map((token) => token.name)).toContain('twice');
    await admin.tokens.revoke('twice');
    expect((await admin.tokens.list()).map((token) => token.name)).not.toContain('twice');
    expect(await failure(admin.tokens.revoke('twice'))).toMatchObject({ code: 'not_found', status: 404 });
    const wrong = new ClawdforgeAdmin({ baseUrl: service.url, adminToken: 'not-it' });
    expect(await failure(wrong.tokens.list())).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('a full queue is queue_full when retries are off, and is waited out when they are on', async () => {
    const noRetry = new Clawdforge({ baseUrl: service.url, token: (await admin.tokens.create({ name: 'no-retry' })).token, maxRetries: 0 });
    const busy = client.run({ prompt: '[[sleep:1500]]' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await failure(noRetry.run({ prompt: 'x' }));
    expect(refused.code).toBe('queue_full');
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    const patient = await client.run({ prompt: '[[text:waited]]' }); // retried after Retry-After
    expect(patient.result).toBe('waited');
    await busy;
  });

  it('a refused connection is network_error', async () => {
    const nowhere = new Clawdforge({ baseUrl: 'http://127.0.0.1:9', token: 'cf_x', maxRetries: 0 });
    expect(await failure(nowhere.health())).toMatchObject({ code: 'network_error', status: 0 });
  });

  describe('a service that never answers', () => {
    let silent: Server;
    let url: string;
    beforeAll(async () => {
      silent = createServer(() => {}); // accepts, never answers
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    });
    afterAll(() => {
      silent.close();
    });

    it('is timeout after timeoutMs', async () => {
      const slow = new Clawdforge({ baseUrl: url, token: 'cf_x', timeoutMs: 300, maxRetries: 0 });
      expect(await failure(slow.health())).toMatchObject({ code: 'timeout', status: 0 });
    });

    it("is aborted when the caller's signal fires", async () => {
      const slow = new Clawdforge({ baseUrl: url, token: 'cf_x', timeoutMs: 10_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      expect(await failure(slow.health({ signal: controller.signal }))).toMatchObject({ code: 'aborted' });
    });
  });
});

describe('stream()', () => {
  it('yields the events as they happen and ends with the result, typed and validated like run()', async () => {
    const seen: Array<{ type: string; at: number }> = [];
    const started = Date.now();
    let last: unknown;
    for await (const event of client.stream({ prompt: '[[text:{"qty": 2}]][[delta_ms:150]]', schema: z.object({ qty: z.number() }) })) {
      seen.push({ type: event.type, at: Date.now() - started });
      if (event.type === 'result') last = event.data.result.qty; // typed by the schema
    }
    expect(seen.map((event) => event.type)).toEqual(['queued', 'started', 'text', 'text', 'result']);
    expect(seen.at(-1)!.at - seen[2]!.at).toBeGreaterThanOrEqual(100);
    expect(last).toBe(2);
  });

  it('throws the error event as its ClawdforgeError, and a refusal before the stream as for any call', async () => {
    const types: string[] = [];
    const failed = await (async () => {
      for await (const event of client.stream({ prompt: '[[exit:1]]' })) types.push(event.type);
    })().catch((error: unknown) => error);
    expect(types).toEqual(['queued', 'started']);
    expect(failed).toBeInstanceOf(ServerError);
    expect(failed).toMatchObject({ code: 'claude_error', status: 502, requestId: expect.any(String) });
    const stranger = new Clawdforge({ baseUrl: service.url, token: 'cf_nope', maxRetries: 0 });
    const refused = await (async () => {
      for await (const _event of stranger.stream({ prompt: 'x' })) throw new Error('no event expected');
    })().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthenticationError);
  });

  it('cancels the run when the loop is left early', async () => {
    for await (const event of client.stream({ prompt: '[[sleep:30000]]' })) if (event.type === 'started') break;
    await expect.poll(async () => (await admin.runs.list({ limit: 1 })).runs[0]?.status, { timeout: 5_000 }).toBe('cancelled');
  });
});

describe('runs (async)', () => {
  it('creates a run, follows its events to the result, reads its status, and resumes after lastEventId', async () => {
    const accepted = await client.runs.create({ prompt: '[[text:async from ts]]' });
    expect(accepted).toMatchObject({ status: 'queued', run_id: expect.stringMatching(/^run_/) });
    const events = [];
    for await (const event of client.runs.events(accepted.run_id)) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['queued', 'started', 'text', 'text', 'text', 'result']);
    const status = await client.runs.get(accepted.run_id);
    expect(status).toMatchObject({ status: 'ok', result: { result: 'async from ts' } });
    const resumed = [];
    for await (const event of client.runs.events(accepted.run_id, { lastEventId: 4 })) resumed.push(event.seq);
    expect(resumed).toEqual([5, 6]);
  });

  it('cancels a run, and another app cannot see it', async () => {
    const accepted = await client.runs.create({ prompt: '[[sleep:30000]]' });
    const other = new Clawdforge({ baseUrl: service.url, token: (await admin.tokens.create({ name: 'sdk-other' })).token });
    expect(await failure(other.runs.get(accepted.run_id))).toBeInstanceOf(NotFoundError);
    const cancelled = await client.runs.cancel(accepted.run_id);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: { error: { code: 'run_cancelled' } } });
  });
});

describe('sessions', () => {
  it('creates a session, sends turns that keep the history, streams one, forks, and closes', async () => {
    const session = await client.sessions.create({ system: 'Be brief.', ttl_secs: 600 });
    expect(session.id).toMatch(/^ses_/);
    expect(session.expiresAt).toEqual(expect.any(String));
    const first = await session.send('first turn');
    expect(first).toMatchObject({ session_id: session.id, result: { prompt: 'first turn', history: [], system: 'Be brief.' } });
    const second = await session.send<{ history: string[] }>({ prompt: 'second turn', schema: z.object({ history: z.array(z.string()) }) });
    expect(second.result.history).toEqual(['first turn']);

    const events = [];
    for await (const event of session.stream('[[text:streamed turn]]')) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'result', data: { result: 'streamed turn', session_id: session.id } });

    const fork = await session.fork();
    expect(fork.id).not.toBe(session.id);
    expect((await fork.send('in the fork')).result).toMatchObject({ history: ['first turn', 'second turn', '[[text:streamed turn]]'] });
    expect(await session.info()).toMatchObject({ session_id: session.id, turns: 3, busy: false });
    expect((await client.sessions.list()).map((listed) => listed.session_id)).toEqual(expect.arrayContaining([session.id, fork.id]));

    const accepted = await client.sessions.open(session.id).start('[[text:later]]');
    let finished;
    for await (const event of client.runs.events(accepted.run_id)) finished = event;
    expect(finished).toMatchObject({ type: 'result', data: { result: 'later', session_id: session.id } });

    await fork.close();
    await session.close();
    const gone = await failure(session.send('hello?'));
    expect(gone).toBeInstanceOf(NotFoundError);
    expect(gone.code).toBe('session_not_found');
  });

  it('refuses a turn while another runs with a ConflictError (session_busy), and a changed system prompt as BadRequestError', async () => {
    const session = await client.sessions.create();
    const running = session.send('[[sleep:1500]]');
    await expect.poll(async () => (await session.info()).busy, { timeout: 10_000 }).toBe(true);
    const busy = await failure(session.send('meanwhile'));
    expect(busy).toBeInstanceOf(ConflictError);
    expect(busy.code).toBe('session_busy');
    await running;
    const changed = await failure(session.send({ prompt: 'x', system: 'other' } as never));
    expect(changed).toBeInstanceOf(BadRequestError);
    expect(changed.message).toMatch(/cannot change/);
    await session.close();
  });
});

describe('webhooks', () => {
  it('verifies a delivery with the secret, lists it, redelivers it, and rotates the secret', async () => {
    const received: Array<{ headers: import('node:http').IncomingHttpHeaders; body: string }> = [];
    const receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk)).on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
      const created = await admin.tokens.create({ name: 'sdk-hooked', webhook_url: url });
      const hooked = new Clawdforge({ baseUrl: service.url, token: created.token });
      const { run_id } = await hooked.runs.create({ prompt: '[[text:hooked]]' });
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
      expect(verifyWebhook(created.webhook_secret!, received[0]!.headers, received[0]!.body).data.run_id).toBe(run_id);
      const page = await admin.webhooks.deliveries({ app: 'sdk-hooked' });
      expect(page.deliveries[0]).toMatchObject({ run_id, status: 'delivered' });
      const rotated = await admin.tokens.rotateWebhookSecret('sdk-hooked');
      await admin.webhooks.redeliver(page.deliveries[0]!.id);
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
      expect(() => verifyWebhook(created.webhook_secret!, received[1]!.headers, received[1]!.body)).toThrow(WebhookVerificationError);
      expect(verifyWebhook(rotated.webhook_secret, received[1]!.headers, received[1]!.body).data.run_id).toBe(run_id);
    } finally {
      receiver.close();
    }
  });
});

describe('the error tree', () => {
  it('gives each kind of failure its own class, keeping code, status and requestId', async () => {
    const stranger = new Clawdforge({ baseUrl: service.url, token: 'cf_nope', maxRetries: 0 });
    const unauthorized = await failure(stranger.run({ prompt: 'x' }));
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(unauthorized).toMatchObject({ name: 'AuthenticationError', code: 'unauthorized', status: 401, requestId: expect.any(String) });
    expect(await failure(client.run({ prompt: '' }))).toBeInstanceOf(BadRequestError);
    expect(await failure(client.getFile('ff_' + '0'.repeat(32)))).toBeInstanceOf(NotFoundError);
    expect(await failure(client.run({ prompt: '[[exit:1]]' }))).toBeInstanceOf(ServerError);
    expect(await failure(client.run({ prompt: '[[not_logged_in]]' }))).toBeInstanceOf(UnavailableError);
    expect(await failure(client.run({ prompt: '[[sleep:5000]]', timeout_secs: 1 }))).toBeInstanceOf(APITimeoutError);
    const limited = await failure(client.run({ prompt: `[[usage_limit:${Math.floor(Date.now() / 1000) + 120}]]` }));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.retryAfter).toBeGreaterThan(100);
    await admin.tokens.create({ name: 'taken' });
    expect(await failure(admin.tokens.create({ name: 'taken' }))).toBeInstanceOf(ConflictError);
    const nowhere = new Clawdforge({ baseUrl: 'http://127.0.0.1:9', token: 'cf_x', maxRetries: 0 });
    expect(await failure(nowhere.health())).toBeInstanceOf(APIConnectionError);
  });

  describe('a newer service', () => {
    let stub: import('node:http').Server;
    let url: string;
    let requests = 0;
    beforeAll(async () => {
      stub = createHttpServer((_req, res) => {
        requests += 1;
        const body = JSON.stringify({ ok: false, error: { code: 'brand_new_code', message: 'not known yet' } });
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0', 'x-request-id': 'req-1' }).end(body);
      });
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(stub.address() as { port: number }).port}`;
    });
    afterAll(() => {
      stub.close();
    });

    it('answers a code this SDK does not know: no crash, the class of its status', async () => {
      const error = await failure(new Clawdforge({ baseUrl: url, token: 'cf_x', maxRetries: 0 }).getFile('ff_x'));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error).toMatchObject({ code: 'brand_new_code', status: 503, retryAfter: 0, requestId: 'req-1' });
    });

    it('takes maxRetries per call over the client default', async () => {
      const patient = new Clawdforge({ baseUrl: url, token: 'cf_x', maxRetries: 0 });
      requests = 0;
      await failure(patient.getFile('ff_x', { maxRetries: 3 }));
      expect(requests).toBe(4);
      requests = 0;
      await failure(new Clawdforge({ baseUrl: url, token: 'cf_x', maxRetries: 3 }).getFile('ff_x', { maxRetries: 0 }));
      expect(requests).toBe(1);
      // A mistake in the limits is the caller's, said at once: NaN retries would never stop.
      await expect(patient.getFile('ff_x', { maxRetries: Number.NaN })).rejects.toThrow(TypeError);
      await expect(patient.getFile('ff_x', { timeoutMs: -1 })).rejects.toThrow(TypeError);
    });
  });

  it('takes timeoutMs per call over the client default', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const slow = new Clawdforge({ baseUrl: url, token: 'cf_x', timeoutMs: 60_000, maxRetries: 0 });
      const started = Date.now();
      const error = await failure(slow.health({ timeoutMs: 200 }));
      expect(error).toBeInstanceOf(APITimeoutError);
      expect(Date.now() - started).toBeLessThan(10_000);
      const controller = new AbortController();
      controller.abort();
      expect(await failure(slow.health({ signal: controller.signal }))).toBeInstanceOf(AbortedError);
    } finally {
      silent.close();
    }
  });

  it('jitters the backoff: Retry-After plus up to a quarter, or half to all of the doubling step', () => {
    expect(backoffMs(2, 0, () => 0)).toBe(2000);
    expect(backoffMs(2, 0, () => 1)).toBe(2500);
    expect(backoffMs(undefined, 0, () => 0)).toBe(125);
    expect(backoffMs(undefined, 2, () => 1)).toBe(1000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(undefined, 1)));
    expect(spread.size).toBeGreaterThan(1);
  });
});

describe('the built package', () => {
  it('works from plain Node JavaScript (ESM, with .d.ts)', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/client'], { cwd: root });
    const script = `
      import { Clawdforge, ClawdforgeError } from '@clawdforge/client';
      const client = new Clawdforge({ baseUrl: ${JSON.stringify(service.url)}, token: 'cf_wrong', maxRetries: 0 });
      const health = await client.health();
      const error = await client.run({ prompt: 'x' }).catch((e) => e);
      console.log(JSON.stringify({ ok: health.ok, isError: error instanceof ClawdforgeError, code: error.code }));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(root, 'packages/client'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, isError: true, code: 'unauthorized' });
  });
});
