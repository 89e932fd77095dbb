// Timeouts, cancellation and the queue: no child outlives its run, no run dir stays.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, isAlive, readPid, waitFor } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { api, useServerWithApp } from './support/test-server.js';

const scratch = makeTempDir('clawdforge-pids-');
afterAll(() => scratch.remove());
let counter = 0;
const pidFile = () => join(scratch.path, `pid-${++counter}`);

describe('a stalled CLI', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE, RUN_IDLE_TIMEOUT_SECS: '1' });

  it('is stopped after RUN_IDLE_TIMEOUT_SECS without output, as 504 claude_stalled, its process group killed', async () => {
    const pids = pidFile();
    const response = await api(ctx.server.url, 'POST', '/run', {
      token: ctx.token,
      body: { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]`, timeout_secs: 60 },
    });
    expectError(response, 'claude_stalled');
    expect(response.status).toBe(504);
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
    expect(readdirSync(join(ctx.server.dataDir, 'runs'))).toEqual([]);
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'timeout', error_code: 'claude_stalled' });
    const metrics = await (await fetch(`${ctx.server.url}/metrics`)).text();
    expect(metrics).toMatch(/^clawdforge_runs_stalled_total 1$/m);
  });

  it('is not stopped while it keeps printing, however long the run', async () => {
    const response = await api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: '[[ticks:6:400]][[text:still here]]', timeout_secs: 60 } });
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('still here');
  });
});

describe('timeouts', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE });

  it('kills the whole process group at timeout_secs and answers 504', async () => {
    const pids = pidFile();
    const response = await api(ctx.server.url, 'POST', '/run', {
      token: ctx.token,
      body: { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]`, timeout_secs: 1 },
    });
    expectError(response, 'claude_timeout');
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
    expect(readdirSync(join(ctx.server.dataDir, 'runs'))).toEqual([]);
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'timeout', error_code: 'claude_timeout' });
  });

  it('follows SIGTERM with SIGKILL for a CLI that ignores it', async () => {
    const pids = pidFile();
    const response = await api(ctx.server.url, 'POST', '/run', {
      token: ctx.token,
      body: { prompt: `[[pidfile:${pids}]][[ignore_term]][[sleep:60000]]`, timeout_secs: 1 },
    });
    expectError(response, 'claude_timeout');
    expect(await waitFor(async () => !isAlive(await readPid(pids)), 5_000)).toBe(true);
  });

  it('kills a CLI whose output runs away', async () => {
    const pids = pidFile();
    const response = await api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: `[[pidfile:${pids}]][[huge]]` } });
    expectError(response, 'claude_error');
    expect(await waitFor(async () => !isAlive(await readPid(pids)), 5_000)).toBe(true);
  });

  it('ends a run at the first upstream 401 instead of waiting out the retries', async () => {
    const pids = pidFile();
    const response = await api(ctx.server.url, 'POST', '/run', {
      token: ctx.token,
      body: { prompt: `[[pidfile:${pids}]][[retry401]]`, timeout_secs: 600 },
    });
    expectError(response, 'claude_not_authenticated');
    expect(await waitFor(async () => !isAlive(await readPid(pids)), 5_000)).toBe(true);
  });
});

describe('a client that disconnects', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE });

  it('cancels its run: the child is killed and the audit row says cancelled', async () => {
    const pids = pidFile();
    const aborter = new AbortController();
    const request = api(ctx.server.url, 'POST', '/run', {
      token: ctx.token,
      body: { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]`, timeout_secs: 120 },
      signal: aborter.signal,
    }).catch((error: unknown) => error);
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    aborter.abort();
    expect(await request).toBeInstanceOf(Error);
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
    const row = await waitFor(() => readAuditRows(ctx.server.dataDir).find((r) => r.status === 'cancelled'), 5_000);
    expect(row).toMatchObject({ status: 'cancelled', app: 'app' });
    expect(await waitFor(() => readdirSync(join(ctx.server.dataDir, 'runs')).length === 0, 5_000)).toBe(true);
  });
});

describe('the run queue', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '1', MAX_QUEUED_RUNS: '3' });
  afterEach(async () => {
    await waitFor(() => ctx.server.services.runQueue.runningCount === 0 && ctx.server.services.runQueue.queuedCount === 0);
  });

  const send = (prompt: string, timeout_secs = 60) => api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt, timeout_secs } });
  const queued = (n: number) => waitFor(() => ctx.server.services.runQueue.queuedCount === n);

  it('runs waiting requests in arrival order once a slot frees', async () => {
    const finished: string[] = [];
    const track = (name: string, prompt: string) => send(prompt).then((r) => (finished.push(name), r));
    const first = track('first', '[[sleep:700]][[text:first]]');
    await waitFor(() => ctx.server.services.runQueue.runningCount === 1);
    const rest = [];
    for (const [index, name] of ['second', 'third', 'fourth'].entries()) {
      rest.push(track(name, `[[text:${name}]]`));
      await queued(index + 1);
    }
    const responses = await Promise.all([first, ...rest]);
    expect(responses.map((r) => r.body.result)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(finished).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('answers 429 queue_full with Retry-After when the queue is full, and spawns nothing for it', async () => {
    const busy = send('[[sleep:800]]');
    await waitFor(() => ctx.server.services.runQueue.runningCount === 1);
    const waiting = [send('a'), send('b'), send('c')];
    await queued(3);
    const refused = await send('d');
    expectError(refused, 'queue_full');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await Promise.all([busy, ...waiting]);
    const rows = readAuditRows(ctx.server.dataDir);
    expect(rows.filter((row) => row.status === 'rejected' && row.error_code === 'queue_full')).toHaveLength(1);
  });

  it('counts time spent queued toward the timeout', async () => {
    const pids = pidFile();
    const busy = send('[[sleep:2500]]');
    await waitFor(() => ctx.server.services.runQueue.runningCount === 1);
    const late = await send(`[[pidfile:${pids}]]`, 1);
    expectError(late, 'claude_timeout');
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'timeout', exit_code: null });
    await busy;
    // never spawned: the fake CLI would have written its pid
    expect(readdirSync(scratch.path)).not.toContain(pids.split('/').at(-1));
  });

  it('lets a queued request that disconnects leave the line', async () => {
    const busy = send('[[sleep:800]]');
    await waitFor(() => ctx.server.services.runQueue.runningCount === 1);
    const aborter = new AbortController();
    const gone = api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: 'x' }, signal: aborter.signal }).catch(() => 'aborted');
    await queued(1);
    aborter.abort();
    expect(await gone).toBe('aborted');
    await queued(0);
    await busy;
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'ok' });
    expect(readAuditRows(ctx.server.dataDir).some((row) => row.status === 'cancelled')).toBe(true);
  });
});

describe('a spawn helper that dies mid-run', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE });

  it('fails the run cleanly, kills its CLI, and the next run gets a new helper', async () => {
    const pids = pidFile();
    const pending = api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]` } });
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    const helper = Number(readFileSync(`/proc/${cli}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]); // the CLI's parent
    process.kill(helper, 'SIGKILL');
    const response = await pending;
    expectError(response, 'claude_error');
    expect(response.body.error.message).toContain('spawn helper');
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
    expect(readdirSync(join(ctx.server.dataDir, 'runs'))).toEqual([]);
    const next = await api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: '[[text:fresh helper]]' } });
    expect(next.body.result).toBe('fresh helper');
  });
});
