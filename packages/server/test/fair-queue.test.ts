// Fair sharing of the run slots, through the real service and the fake CLI:
// one app flooding the queue cannot starve the others, runs within an app keep
// their order, and an app's max_concurrent holds only that app back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';

async function runAll(server: TestServer, runs: Array<{ token: string; label: string }>, sleepMs: number, spacingMs = 20) {
  const finished: string[] = [];
  const answers = await Promise.all(
    runs.map(async ({ token, label }, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * spacingMs)); // arrival order
      const answer = await api(server.url, 'POST', '/run', { token, body: { prompt: `[[sleep:${sleepMs}]][[text:${label}]]`, timeout_secs: 60 } });
      finished.push(label);
      return answer;
    }),
  );
  return { finished, answers };
}

describe('round-robin across apps, FIFO within one', () => {
  let server: TestServer;
  let tokens: Record<'flood' | 'second' | 'third', string>;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '1', MAX_QUEUED_RUNS: '20' });
    tokens = {
      flood: await mintTokenWith(server.url, { name: 'flood' }),
      second: await mintTokenWith(server.url, { name: 'second' }),
      third: await mintTokenWith(server.url, { name: 'third' }),
    };
  });
  afterAll(() => server.dispose());

  it('serves the two quiet apps in order while the flooding one waits its turns', async () => {
    const arrivals = [
      ...Array.from({ length: 6 }, (_, i) => ({ token: tokens.flood, label: `flood${i + 1}` })),
      { token: tokens.second, label: 'second1' },
      { token: tokens.third, label: 'third1' },
      { token: tokens.second, label: 'second2' },
      { token: tokens.third, label: 'third2' },
    ];
    const { finished, answers } = await runAll(server, arrivals, 150);
    expect(answers.map((answer) => answer.status)).toEqual(arrivals.map(() => 200));
    expect(answers.map((answer) => answer.body.result)).toEqual(arrivals.map((arrival) => arrival.label));
    // flood1 holds the slot when the rest arrive; then each app in turn.
    expect(finished).toEqual(['flood1', 'flood2', 'second1', 'third1', 'flood3', 'second2', 'third2', 'flood4', 'flood5', 'flood6']);
  });
});

describe('max_concurrent per app', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '3' });
  });
  afterAll(() => server.dispose());

  it('runs a capped app one at a time while another app uses the free slots', async () => {
    const capped = await mintTokenWith(server.url, { name: 'one-at-a-time', max_concurrent: 1 });
    const other = await mintTokenWith(server.url, { name: 'other' });
    const runs = [
      { token: capped, label: 'capped1' },
      { token: capped, label: 'capped2' },
      { token: capped, label: 'capped3' },
      { token: other, label: 'other1' },
      { token: other, label: 'other2' },
    ];
    const { finished } = await runAll(server, runs, 300, 10);
    expect(finished.slice(0, 3).sort()).toEqual(['capped1', 'other1', 'other2']);
    expect(finished.slice(3)).toEqual(['capped2', 'capped3']);
    const rows = readAuditRows(server.dataDir);
    const cappedWaits = rows.filter((row) => row.app === 'one-at-a-time').map((row) => row.queue_wait_ms).sort((a, b) => a - b);
    expect(cappedWaits[0]).toBeLessThan(150);
    expect(cappedWaits[1]).toBeGreaterThanOrEqual(250);
    expect(cappedWaits[2]).toBeGreaterThanOrEqual(550);
    expect(rows.filter((row) => row.app === 'other').every((row) => row.queue_wait_ms < 150)).toBe(true);
  });
});

describe('a full queue', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '1', MAX_QUEUED_RUNS: '3' });
  });
  afterAll(() => server.dispose());

  it('gives a quiet app the place of the flooding app\'s newest waiting run', async () => {
    const flood = await mintTokenWith(server.url, { name: 'flood' });
    const quiet = await mintTokenWith(server.url, { name: 'quiet' });
    const floodRuns = Array.from({ length: 4 }, (_, i) =>
      new Promise((resolve) => setTimeout(resolve, i * 20)).then(() =>
        api(server.url, 'POST', '/run', { token: flood, body: { prompt: `[[sleep:300]][[text:flood${i + 1}]]` } })),
    );
    await new Promise((resolve) => setTimeout(resolve, 150)); // flood1 runs, flood2-4 fill the queue
    const quietRun = api(server.url, 'POST', '/run', { token: quiet, body: { prompt: '[[text:quiet]]' } });
    const [flood1, flood2, flood3, flood4] = await Promise.all(floodRuns);
    expect([flood1!.status, flood2!.status, flood3!.status]).toEqual([200, 200, 200]);
    expectError(flood4!, 'queue_full');
    expect(flood4!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await quietRun).body.result).toBe('quiet');
  });
});
