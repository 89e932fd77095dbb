// Quotas over fixed UTC windows, on an injected clock: over the limit a run is
// 429 quota_exceeded with Retry-After at the window's reset, and nothing runs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { TestClock } from './support/test-clock.js';
import { ADMIN_TOKEN, api, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';

const temp = makeTempDir('clawdforge-quota-');
const spawnLog = join(temp.path, 'spawns.log');
const spawnCount = () => (existsSync(spawnLog) ? readFileSync(spawnLog, 'utf8').split('\n').filter(Boolean).length : 0);

const clock = new TestClock(Date.parse('2026-11-28T10:59:00.000Z'));
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_SPAWN_LOG: spawnLog, MAX_CONCURRENT_RUNS: '8' }, { clock });
});
afterAll(async () => {
  await server.dispose();
  temp.remove();
});

const run = (token: string, prompt = 'Reply with JSON: 1') => api(server.url, 'POST', '/run', { token, body: { prompt } });

describe('quotas', () => {
  it('runs_per_hour: refuses the third run with Retry-After at the top of the hour, then admits again', async () => {
    const token = await mintTokenWith(server.url, { name: 'hourly', runs_per_hour: 2 });
    expect((await run(token)).status).toBe(200);
    expect((await run(token)).status).toBe(200);
    const spawned = spawnCount();
    const refused = await run(token);
    expectError(refused, 'quota_exceeded');
    expect(refused.headers.get('retry-after')).toBe('60'); // 10:59:00 -> 11:00:00
    expect(refused.body.error.message).toContain('runs_per_hour = 2 (used: 2)');
    expect(spawnCount()).toBe(spawned);
    expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ app: 'hourly', status: 'rejected', error_code: 'quota_exceeded' });
    // The refusal itself does not count: a new hour admits two more.
    clock.advance(60_000);
    expect((await run(token)).status).toBe(200);
  });

  it('runs_per_day: Retry-After runs to UTC midnight; failed runs that reached the CLI count', async () => {
    const token = await mintTokenWith(server.url, { name: 'daily', runs_per_day: 2 });
    expect((await run(token)).status).toBe(200);
    expect((await run(token, '[[exit:3]]')).status).toBe(502);
    const refused = await run(token);
    expectError(refused, 'quota_exceeded');
    const now = clock.now().getTime();
    const midnight = Date.parse('2026-11-29T00:00:00.000Z');
    expect(Number(refused.headers.get('retry-after'))).toBe(Math.ceil((midnight - now) / 1000));
  });

  it('cost_usd_per_day: the audit log\'s total_cost_usd decides; a policy change applies at once', async () => {
    const token = await mintTokenWith(server.url, { name: 'spender', cost_usd_per_day: 0.008 }); // the fake CLI costs 0.0042 a run
    expect((await run(token)).status).toBe(200);
    expect((await run(token)).status).toBe(200);
    const refused = await run(token);
    expectError(refused, 'quota_exceeded');
    expect(refused.body.error.message).toContain('cost_usd_per_day = 0.008 (spent: 0.0084)');
    await api(server.url, 'PATCH', '/admin/tokens/spender', { token: ADMIN_TOKEN, body: { cost_usd_per_day: null } });
    expect((await run(token)).status).toBe(200);
  });

  it('counts runs in flight, so a burst cannot slip under the limit', async () => {
    const token = await mintTokenWith(server.url, { name: 'bursty', runs_per_hour: 3 });
    const spawned = spawnCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () => run(token, '[[sleep:300]]')));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    expect(spawnCount() - spawned).toBe(3);
  });

  it('keeps apps apart: one app over its quota leaves another alone', async () => {
    const capped = await mintTokenWith(server.url, { name: 'capped', runs_per_hour: 1 });
    const free = await mintTokenWith(server.url, { name: 'free' });
    expect((await run(capped)).status).toBe(200);
    expectError(await run(capped), 'quota_exceeded');
    expect((await run(free)).status).toBe(200);
  });
});
