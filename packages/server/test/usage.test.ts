// GET /admin/usage against hand-computed figures on a small fixed data set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRun, type AuditRow } from '../src/runs/runs.repository.js';
import { expectError } from './support/expect-error.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;
const day = (d: number, minute = 0) => new Date(Date.UTC(2026, 10, d, 12, minute)).toISOString();
let n = 0;
const run = (fields: Partial<AuditRow>): AuditRow => ({
  id: `run_usage${++n}`, app: 'alpha', model: 'sonnet', prompt: null, prompt_chars: 10, system_chars: 0, file_count: 0,
  response_chars: 20, status: 'ok', error_code: null, exit_code: 0, stop_reason: 'end_turn', session_id: null,
  input_tokens: 100, output_tokens: 50, cost_usd: 0.01, queue_wait_ms: 0, duration_ms: 1000, created_at: day(1),
  request_id: null, ...fields,
});

beforeAll(async () => {
  server = await startTestServer();
  const rows: AuditRow[] = [
    // alpha, day 1: durations 100..1000 (10 ok runs), queue waits 0..90
    ...Array.from({ length: 10 }, (_, i) => run({ duration_ms: (i + 1) * 100, queue_wait_ms: i * 10, created_at: day(1, i) })),
    // alpha, day 2: one timeout (reached the CLI), one queue_full (never ran)
    run({ status: 'timeout', error_code: 'claude_timeout', duration_ms: 5000, queue_wait_ms: 500, response_chars: null, input_tokens: null, output_tokens: null, cost_usd: null, created_at: day(2) }),
    run({ status: 'rejected', error_code: 'queue_full', duration_ms: 0, queue_wait_ms: 0, response_chars: null, input_tokens: null, output_tokens: null, cost_usd: null, created_at: day(2, 1) }),
    // beta, day 2: two opus runs, one error
    run({ app: 'beta', model: 'opus', duration_ms: 2000, queue_wait_ms: 5, cost_usd: 0.5, created_at: day(2, 2) }),
    run({ app: 'beta', model: 'opus', status: 'error', error_code: 'claude_error', exit_code: 1, duration_ms: 300, queue_wait_ms: 7, cost_usd: 0.25, created_at: day(2, 3) }),
  ];
  for (const row of rows) await insertRun(server.services.db, row);
});
afterAll(() => server.dispose());

const usage = (query: string) => api(server.url, 'GET', `/admin/usage${query}`, { token: ADMIN_TOKEN });

describe('GET /admin/usage', () => {
  it('groups by app with totals, errors by code and nearest-rank percentiles', async () => {
    const { status, body } = await usage('?group_by=app');
    expect(status).toBe(200);
    expect(body).toEqual({
      group_by: 'app',
      since: null,
      until: null,
      groups: [
        {
          key: 'alpha', runs: 12, ok: 10, errors: { claude_timeout: 1, queue_full: 1 },
          // 11 runs reached the CLI: durations 100..1000 and 5000; rank ceil(5.5)=6 -> 600, ceil(10.45)=11 -> 5000
          duration_ms_p50: 600, duration_ms_p95: 5000,
          // waits 0..90 and 500: rank 11 -> 500
          queue_wait_ms_p95: 500,
          prompt_chars: 120, response_chars: 200, input_tokens: 1000, output_tokens: 500, cost_usd: expect.closeTo(0.1, 10),
        },
        {
          key: 'beta', runs: 2, ok: 1, errors: { claude_error: 1 },
          duration_ms_p50: 300, duration_ms_p95: 2000, queue_wait_ms_p95: 7,
          prompt_chars: 20, response_chars: 40, input_tokens: 200, output_tokens: 100, cost_usd: 0.75,
        },
      ],
    });
  });

  it('groups by model and by day, within since and until', async () => {
    const byModel = (await usage('?group_by=model')).body.groups.map((g: { key: string; runs: number }) => [g.key, g.runs]);
    expect(byModel).toEqual([['opus', 2], ['sonnet', 12]]);
    const byDay = (await usage('?group_by=day')).body.groups.map((g: { key: string; runs: number; ok: number }) => [g.key, g.runs, g.ok]);
    expect(byDay).toEqual([['2026-11-01', 10, 10], ['2026-11-02', 4, 1]]);
    const windowed = await usage(`?group_by=day&since=${day(1, 5)}&until=${day(2, 2)}`);
    expect(windowed.body.groups.map((g: { key: string; runs: number }) => [g.key, g.runs])).toEqual([['2026-11-01', 5], ['2026-11-02', 2]]);
    expect(windowed.body).toMatchObject({ since: day(1, 5), until: day(2, 2) });
  });

  it('answers an empty list for an empty window, and refuses bad input', async () => {
    expect((await usage(`?since=${day(20)}`)).body.groups).toEqual([]);
    expect((await usage('?group_by=hour')).status).toBe(400);
    expect((await usage('?since=yesterday')).status).toBe(400);
    const appToken = await mintToken(server.url, 'nosy-app');
    expectError(await api(server.url, 'GET', '/admin/usage', { token: appToken }), 'unauthorized');
  });
});
