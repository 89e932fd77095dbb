// Webhooks of async runs (Standard Webhooks 1.0): signed deliveries to a
// loopback receiver, retries on its refusals, Retry-After, 410, the allowed
// addresses, redelivery, secret rotation, and deliveries that survive a restart.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../client/src/webhooks.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { startServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, useServerWithApp } from './support/test-server.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver on loopback: records each request, and answers each with the next status given (200 after). */
class Receiver {
  readonly received: Received[] = [];
  answers: Array<{ status: number; headers?: Record<string, string> }> = [];
  private server: Server | undefined;
  port = 0;

  async listen(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body, at: Date.now() });
        const answer = this.answers.shift() ?? { status: 200 };
        res.writeHead(answer.status, answer.headers ?? {}).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/clawdforge`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const admin = (url: string, method: string, path: string, body?: unknown) => api(url, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });

describe('webhooks', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE, WEBHOOK_RETRY_SCHEDULE_SECS: '0,1,1' });
  const receiver = new Receiver();
  beforeAll(() => receiver.listen());
  afterAll(() => receiver.close());

  async function appWithWebhook(name: string): Promise<{ token: string; secret: string }> {
    const created = await admin(ctx.server.url, 'POST', '/admin/tokens', { name, webhook_url: receiver.url });
    expect(created.status).toBe(201);
    expect(created.body.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    return { token: created.body.token, secret: created.body.webhook_secret };
  }
  const startRun = (token: string, prompt: string) => api(ctx.server.url, 'POST', '/runs', { token, body: { prompt } });
  const deliveriesOf = async (app: string) => (await admin(ctx.server.url, 'GET', `/admin/webhooks/deliveries?app=${app}`)).body.deliveries as Array<Record<string, any>>;
  const forRun = (runId: string) => receiver.received.filter((request) => JSON.parse(request.body).data.run_id === runId);

  it('announces a finished async run, signed so the receiver can verify it, and lists the delivery', async () => {
    const { token, secret } = await appWithWebhook('hooked');
    const runId = (await startRun(token, '[[text:all done]]')).body.run_id;
    const [delivery] = (await waitFor(() => (forRun(runId).length === 1 ? forRun(runId) : undefined), 10_000))!;
    const payload = verifyWebhook(secret, delivery!.headers, delivery!.body);
    expect(payload).toMatchObject({ type: 'run.completed', data: { run_id: runId, status: 'ok', error: null, result: { ok: true, result: 'all done' } } });
    expect(Math.abs(Number(delivery!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(delivery!.headers['webhook-id']).toMatch(/^msg_/);
    expect(() => verifyWebhook('whsec_' + Buffer.from('another secret').toString('base64'), delivery!.headers, delivery!.body)).toThrow(/signature/);
    expect(() => verifyWebhook(secret, delivery!.headers, delivery!.body.replace('all done', 'all gone'))).toThrow(/signature/);
    const [listed] = (await waitFor(async () => ((await deliveriesOf('hooked'))[0]?.status === 'delivered' ? deliveriesOf('hooked') : undefined)))!;
    expect(listed).toMatchObject({ id: delivery!.headers['webhook-id'], app: 'hooked', type: 'run.completed', run_id: runId, status: 'delivered', attempts: 1, last_status: 200 });
  });

  it('announces a failed run as run.failed with the error envelope', async () => {
    const { token, secret } = await appWithWebhook('hooked-failing');
    const runId = (await startRun(token, '[[exit:1]]')).body.run_id;
    const [delivery] = (await waitFor(() => (forRun(runId).length === 1 ? forRun(runId) : undefined), 10_000))!;
    expect(verifyWebhook(secret, delivery!.headers, delivery!.body)).toMatchObject({
      type: 'run.failed',
      data: { run_id: runId, status: 'error', result: null, error: { ok: false, error: { code: 'claude_error' } } },
    });
  });

  it('retries what the receiver refuses, with the same webhook-id, until it takes it', async () => {
    const { token, secret } = await appWithWebhook('hooked-retried');
    receiver.answers = [{ status: 500 }, { status: 502 }];
    const runId = (await startRun(token, '[[text:third time]]')).body.run_id;
    const attempts = await waitFor(() => (forRun(runId).length === 3 ? forRun(runId) : undefined), 15_000);
    expect(new Set(attempts!.map((attempt) => attempt.headers['webhook-id'])).size).toBe(1);
    for (const attempt of attempts!) verifyWebhook(secret, attempt.headers, attempt.body);
    expect(attempts![1]!.at - attempts![0]!.at).toBeGreaterThanOrEqual(900); // the schedule's 1 s
    await waitFor(async () => (await deliveriesOf('hooked-retried'))[0]?.status === 'delivered');
    expect((await deliveriesOf('hooked-retried'))[0]).toMatchObject({ attempts: 3, last_status: 200 });
  });

  it("waits a receiver's longer Retry-After", async () => {
    const { token } = await appWithWebhook('hooked-patient');
    receiver.answers = [{ status: 503, headers: { 'retry-after': '3' } }];
    const runId = (await startRun(token, '[[text:later]]')).body.run_id;
    const attempts = await waitFor(() => (forRun(runId).length === 2 ? forRun(runId) : undefined), 15_000);
    expect(attempts![1]!.at - attempts![0]!.at).toBeGreaterThanOrEqual(2_900);
  });

  it('gives up after the schedule, and an admin can send it again', async () => {
    const { token } = await appWithWebhook('hooked-failed');
    receiver.answers = [{ status: 500 }, { status: 500 }, { status: 500 }];
    const runId = (await startRun(token, '[[text:never taken]]')).body.run_id;
    await waitFor(async () => (await deliveriesOf('hooked-failed'))[0]?.status === 'failed', 15_000);
    const [failed] = await deliveriesOf('hooked-failed');
    expect(failed).toMatchObject({ attempts: 3, last_status: 500, next_attempt_at: null });
    const again = await admin(ctx.server.url, 'POST', `/admin/webhooks/deliveries/${failed!.id}/redeliver`);
    expect(again.status).toBe(200);
    await waitFor(async () => (await deliveriesOf('hooked-failed'))[0]?.status === 'delivered', 10_000);
    expect(forRun(runId)).toHaveLength(4);
    expectError(await admin(ctx.server.url, 'POST', '/admin/webhooks/deliveries/msg_nope/redeliver'), 'not_found');
  });

  it('switches the webhook off when the receiver answers 410 Gone', async () => {
    const { token } = await appWithWebhook('hooked-gone');
    receiver.answers = [{ status: 410 }];
    await startRun(token, '[[text:gone]]');
    await waitFor(async () => (await deliveriesOf('hooked-gone'))[0]?.status === 'disabled', 10_000);
    const tokens = (await admin(ctx.server.url, 'GET', '/admin/tokens')).body.tokens as Array<Record<string, unknown>>;
    expect(tokens.find((listed) => listed.name === 'hooked-gone')).toMatchObject({ webhook_url: null });
    const before = receiver.received.length;
    const runId = (await startRun(token, '[[text:unheard]]')).body.run_id;
    await waitFor(async () => (await api(ctx.server.url, 'GET', `/runs/${runId}`, { token })).body.status === 'ok');
    expect(receiver.received.length).toBe(before);
    expect(await deliveriesOf('hooked-gone')).toHaveLength(1);
  });

  it('signs with a rotated secret from then on', async () => {
    const { token, secret } = await appWithWebhook('hooked-rotated');
    const rotated = await admin(ctx.server.url, 'POST', '/admin/tokens/hooked-rotated/webhook-secret');
    expect(rotated.body.webhook_secret).not.toBe(secret);
    const runId = (await startRun(token, '[[text:new key]]')).body.run_id;
    const [delivery] = (await waitFor(() => (forRun(runId).length === 1 ? forRun(runId) : undefined), 10_000))!;
    expect(() => verifyWebhook(secret, delivery!.headers, delivery!.body)).toThrow(/signature/);
    expect(verifyWebhook(rotated.body.webhook_secret, delivery!.headers, delivery!.body).data.run_id).toBe(runId);
  });

  it('sends a delivery to the webhook_url as it stands at each attempt, and keeps the secret when the same URL is sent again', async () => {
    const { token } = await appWithWebhook('hooked-moved');
    const other = new Receiver();
    await other.listen();
    try {
      receiver.answers = [{ status: 500 }];
      const runId = (await startRun(token, '[[text:moved]]')).body.run_id;
      await waitFor(() => forRun(runId).length === 1, 10_000);
      const moved = await admin(ctx.server.url, 'PATCH', '/admin/tokens/hooked-moved', { webhook_url: other.url });
      const newSecret = moved.body.webhook_secret as string;
      expect(newSecret).toMatch(/^whsec_/);
      const [retried] = (await waitFor(() => (other.received.length === 1 ? other.received : undefined), 10_000))!;
      expect(verifyWebhook(newSecret, retried!.headers, retried!.body).data.run_id).toBe(runId);
      expect(forRun(runId)).toHaveLength(1); // the old receiver heard no more
      const again = await admin(ctx.server.url, 'PATCH', '/admin/tokens/hooked-moved', { webhook_url: other.url, runs_per_day: 100 });
      expect(again.body.webhook_secret).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('refuses a webhook_url outside the allowed addresses, at mint and at change', async () => {
    for (const url of ['http://192.0.2.10/hook', 'http://no-such-host.invalid/hook', 'ftp://127.0.0.1/hook', 'http://user:pw@127.0.0.1/hook']) {
      expectError(await admin(ctx.server.url, 'POST', '/admin/tokens', { name: 'hooked-outside', webhook_url: url }), 'invalid_request');
    }
    await admin(ctx.server.url, 'POST', '/admin/tokens', { name: 'hooked-later' });
    const refused = await admin(ctx.server.url, 'PATCH', '/admin/tokens/hooked-later', { webhook_url: 'http://192.0.2.10/hook' });
    expectError(refused, 'invalid_request');
    expect(refused.body.error.message).toContain('outside ALLOW_CIDRS and WEBHOOK_ALLOW_CIDRS');
    const set = await admin(ctx.server.url, 'PATCH', '/admin/tokens/hooked-later', { webhook_url: receiver.url });
    expect(set.body).toMatchObject({ webhook_url: receiver.url, webhook_secret: expect.stringMatching(/^whsec_/) });
  });
});

describe('a webhook and a restart', () => {
  const temp = makeTempDir('clawdforge-webhook-interrupted-');
  afterAll(() => temp.remove());

  it('tells the app of a run the restart interrupted, as run.failed', async () => {
    const receiver = new Receiver();
    await receiver.listen();
    const env = { DATA_DIR: join(temp.path, 'data'), ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE };
    const first = await startServerProcess(env, temp.path);
    const created = await admin(first.url, 'POST', '/admin/tokens', { name: 'cut-off', webhook_url: receiver.url });
    const runId = (await api(first.url, 'POST', '/runs', { token: created.body.token, body: { prompt: '[[sleep:60000]]' } })).body.run_id;
    await waitFor(async () => (await api(first.url, 'GET', `/runs/${runId}`, { token: created.body.token })).body.status === 'running');
    await first.stop('SIGKILL');
    const second = await startServerProcess(env, temp.path);
    try {
      const [delivery] = (await waitFor(() => (receiver.received.length > 0 ? receiver.received : undefined), 15_000))!;
      expect(verifyWebhook(created.body.webhook_secret, delivery!.headers, delivery!.body)).toMatchObject({
        type: 'run.failed',
        data: { run_id: runId, status: 'error', error: { error: { code: 'interrupted' } } },
      });
    } finally {
      await second.stop();
      await receiver.close();
    }
  });
});

describe('a webhook delivery and a restart', () => {
  const temp = makeTempDir('clawdforge-webhook-restart-');
  afterAll(() => temp.remove());

  it('is not lost: what was pending when the service died goes out after it starts again', async () => {
    const receiver = new Receiver();
    await receiver.listen();
    const port = receiver.port;
    await receiver.close(); // nobody listens: the first attempts fail
    const env = { DATA_DIR: join(temp.path, 'data'), ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE, WEBHOOK_RETRY_SCHEDULE_SECS: '0,2,2,2,2' };
    const first = await startServerProcess(env, temp.path);
    const created = await admin(first.url, 'POST', '/admin/tokens', { name: 'survivor', webhook_url: `http://127.0.0.1:${port}/hooks/clawdforge` });
    const runId = (await api(first.url, 'POST', '/runs', { token: created.body.token, body: { prompt: '[[text:kept]]' } })).body.run_id;
    await waitFor(async () => ((await admin(first.url, 'GET', '/admin/webhooks/deliveries')).body.deliveries[0]?.attempts ?? 0) >= 1, 10_000);
    await first.stop('SIGKILL');
    await receiver.listen(port);
    const second = await startServerProcess(env, temp.path);
    try {
      const [delivery] = (await waitFor(() => (receiver.received.length > 0 ? receiver.received : undefined), 15_000))!;
      expect(verifyWebhook(created.body.webhook_secret, delivery!.headers, delivery!.body).data.run_id).toBe(runId);
    } finally {
      await second.stop();
      await receiver.close();
    }
  });
});
