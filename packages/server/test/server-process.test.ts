// The service as an operator starts it: its own process, config from the environment.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, startServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api } from './support/test-server.js';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationProvider } from '../src/db/migrations.js';
import { FAKE_CLAUDE, isAlive, readPid, waitFor } from './support/processes.js';
import { readdirSync, readFileSync } from 'node:fs';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

describe('bad configuration', () => {
  it('stops the process at once, naming the variable and the value', async () => {
    const child = spawnServer({ ALLOW_CIDRS: '10.0.0/33', DATA_DIR: join(temp.path, 'never') }, temp.path);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toContain('ALLOW_CIDRS: "10.0.0/33" is not a CIDR');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reads .env from the working directory', async () => {
    const dir = makeTempDir();
    try {
      writeFileSync(join(dir.path, '.env'), 'PORT=not-a-port\n');
      const child = spawnServer({}, dir.path);
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const [code] = await once(child, 'exit');
      expect(code).not.toBe(0);
      expect(stderr).toContain('PORT: "not-a-port"');
    } finally {
      dir.remove();
    }
  });
});

describe('a restart on the same DATA_DIR', () => {
  it('migrates nothing the second time and keeps tokens and audit rows', async () => {
    const env = { DATA_DIR: join(temp.path, 'data'), ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE };
    const first = await startServerProcess(env, temp.path);
    const allMigrations = Object.keys(await migrationProvider.getMigrations()).sort();
    expect(first.output()).toContain(`"migrations":${JSON.stringify(allMigrations)}`);
    const minted = await api(first.url, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body: { name: 'survivor' } });
    expect((await api(first.url, 'POST', '/run', { token: minted.body.token, body: { prompt: 'hi' } })).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess(env, temp.path);
    try {
      expect(second.output()).not.toContain('database migrated');
      const listed = await api(second.url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN });
      expect(listed.body.tokens.map((t: { name: string }) => t.name)).toEqual(['survivor']);
      expect((await api(second.url, 'POST', '/run', { token: minted.body.token, body: { prompt: 'hi' } })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe('logs', () => {
  it('write one JSON line per request, with no token and no prompt', async () => {
    const env = { DATA_DIR: join(temp.path, 'logs'), ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE };
    const server = await startServerProcess(env, temp.path);
    const minted = await api(server.url, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body: { name: 'logged' } });
    await api(server.url, 'POST', '/run', { token: minted.body.token, body: { prompt: 'TOP-SECRET-PROMPT-TEXT' }, headers: { 'x-request-id': 'log-me-7' } });
    await server.stop();
    const lines = server.output().trim().split('\n').map((line) => JSON.parse(line));
    const runLine = lines.find((line) => line.path === '/run');
    expect(runLine).toMatchObject({ request_id: 'log-me-7', method: 'POST', status: 200, app: 'logged', peer: '127.0.0.1' });
    expect(runLine.duration_ms).toBeGreaterThan(0);
    const all = server.output();
    for (const secret of [minted.body.token, ADMIN_TOKEN, 'TOP-SECRET-PROMPT-TEXT']) expect(all).not.toContain(secret);
  });
});

describe('a service killed with SIGKILL mid-run', () => {
  it('takes its CLI runs with it, and the restart removes the run dir left behind', async () => {
    const dataDir = join(temp.path, 'crash');
    const env = { DATA_DIR: dataDir, ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE };
    const server = await startServerProcess(env, temp.path);
    const minted = await api(server.url, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body: { name: 'crash' } });
    const before = await api(server.url, 'POST', '/run', { token: minted.body.token, body: { prompt: '[[text:before the crash]]' } });
    const pids = join(temp.path, 'crash-pids');
    const pending = api(server.url, 'POST', '/run', {
      token: minted.body.token,
      body: { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]` },
    }).catch(() => 'connection lost');
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    expect(readdirSync(join(dataDir, 'runs'))).toHaveLength(1);

    await server.stop('SIGKILL');
    expect(await pending).toBe('connection lost');
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);

    const restarted = await startServerProcess(env, temp.path);
    try {
      expect(readdirSync(join(dataDir, 'runs'))).toEqual([]);
      expect(restarted.output()).toContain('removed run directories left by an earlier crash');
      const listed = await api(restarted.url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN });
      expect(listed.body.tokens.map((t: { name: string }) => t.name)).toEqual(['crash']);
      expect(readAuditRows(dataDir).map((row) => [row.id, row.status])).toEqual([[before.body.run_id, 'ok']]);
      expect((await api(restarted.url, 'POST', '/run', { token: minted.body.token, body: { prompt: 'after' } })).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });
});

describe('hard kills, with nothing left running', () => {
  /** The service's direct children (its spawn helper). */
  const childrenOf = (pid: number) =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          return Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);

  async function startWithLongRun(name: string, detached: boolean) {
    const dataDir = join(temp.path, name);
    const env = { DATA_DIR: dataDir, ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE };
    const server = await startServerProcess(env, temp.path, undefined, undefined, { detached });
    const minted = await api(server.url, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body: { name } });
    const pids = join(temp.path, `${name}-pids`);
    void api(server.url, 'POST', '/run', { token: minted.body.token, body: { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]` } }).catch(() => 'lost');
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    return { server, env, cli, grandchild };
  }

  it("survives a SIGKILL to the service's whole process group: the spawn helper, in a group of its own, kills the runs", async () => {
    const { server, cli, grandchild } = await startWithLongRun('group-kill', true);
    process.kill(-server.child.pid!, 'SIGKILL');
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
  });

  it('kills, at the next start, the runs of a service and spawn helper SIGKILLed together', async () => {
    const { server, env, cli, grandchild } = await startWithLongRun('both-killed', false);
    const [helper] = childrenOf(server.child.pid!);
    expect(helper).toBeDefined();
    // "Together": the service is frozen first, so it cannot see its helper die and end the runs itself.
    process.kill(server.child.pid!, 'SIGSTOP');
    process.kill(helper!, 'SIGKILL');
    await server.stop('SIGKILL');
    expect(isAlive(cli) && isAlive(grandchild)).toBe(true); // nobody was left to stop them
    const restarted = await startServerProcess(env, temp.path);
    try {
      expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
      expect(restarted.output()).toContain('killed processes left running in run directories by an earlier crash');
      expect(readdirSync(join(env.DATA_DIR, 'runs'))).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});

describe('SIGTERM', () => {
  it('lets running runs finish within the grace, stops the rest with 503, refuses the queue, and exits 0 leaving nothing', async () => {
    const dataDir = join(temp.path, 'shutdown');
    const env = {
      DATA_DIR: dataDir,
      ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
      CLAUDE_BIN: FAKE_CLAUDE,
      SHUTDOWN_GRACE_SECS: '2',
      MAX_CONCURRENT_RUNS: '2',
    };
    const server = await startServerProcess(env, temp.path);
    const { token } = (await api(server.url, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body: { name: 'graceful' } })).body;
    const run = (prompt: string) => api(server.url, 'POST', '/run', { token, body: { prompt } });
    const [shortPids, longPids] = [join(temp.path, 'short-pids'), join(temp.path, 'long-pids')];
    const order: string[] = [];
    const short = run(`[[pidfile:${shortPids}]][[sleep:1000]][[text:finished]]`).then((r) => (order.push('short'), r));
    const long = run(`[[pidfile:${longPids}]][[grandchild]][[sleep:60000]]`).then((r) => (order.push('long'), r));
    const pids = [await readPid(shortPids), await readPid(longPids), await readPid(`${longPids}.child`)];
    const queued = run('[[text:never runs]]');
    await new Promise((resolve) => setTimeout(resolve, 200)); // let it reach the queue

    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const [shortAnswer, longAnswer, queuedAnswer] = await Promise.all([short, long, queued]);
    expect(shortAnswer.status).toBe(200);
    expect(shortAnswer.body.result).toBe('finished');
    expectError(longAnswer, 'shutting_down');
    expectError(queuedAnswer, 'shutting_down');
    expect(order).toEqual(['short', 'long']);
    const [code] = await exited;
    expect(code).toBe(0);

    expect(await waitFor(() => pids.every((pid) => !isAlive(pid)), 5_000)).toBe(true);
    expect(readdirSync(join(dataDir, 'runs'))).toEqual([]);
    const rows = readAuditRows(dataDir).map((row) => [row.status, row.error_code]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['ok', null],
        ['cancelled', 'shutting_down'],
        ['rejected', 'shutting_down'],
      ]),
    );
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
