// GET /admin/runs and /admin/runs/{run_id} over seeded rows and real runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRun, type AuditRow } from '../src/runs/runs.repository.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
});
afterAll(() => server.dispose());

const admin = (path: string) => api(server.url, 'GET', path, { token: ADMIN_TOKEN });
let seeded = 0;
function row(overrides: Partial<AuditRow>): AuditRow {
  seeded += 1;
  return {
    id: `run_seed${String(seeded).padStart(6, '0')}`, app: 'alpha', model: 'sonnet', prompt: `prompt ${seeded}`, prompt_chars: 8,
    system_chars: 0, file_count: 0, response_chars: 10, status: 'ok', error_code: null, exit_code: 0, stop_reason: 'end_turn',
    session_id: null, input_tokens: 5, output_tokens: 6, cost_usd: 0.01, queue_wait_ms: 1, duration_ms: 100,
    created_at: new Date(Date.UTC(2026, 10, 1) + seeded * 60_000).toISOString(), request_id: null, ...overrides,
  };
}

async function allPages(query: string, limit: number, between?: () => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await admin(`/admin/runs?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    expect(response.body.runs.length).toBeLessThanOrEqual(limit);
    ids.push(...response.body.runs.map((run: { run_id: string }) => run.run_id));
    cursor = response.body.next_cursor;
    await between?.();
  } while (cursor);
  return ids;
}

describe('GET /admin/runs', () => {
  const seededIds: string[] = [];
  beforeAll(async () => {
    const variants: Array<Partial<AuditRow>> = [
      {}, { app: 'beta' }, { status: 'error', error_code: 'claude_error', exit_code: 1 }, { model: 'opus' },
      { app: 'beta', status: 'timeout', error_code: 'claude_timeout' }, {}, { status: 'rejected', error_code: 'queue_full' },
    ];
    for (let i = 0; i < 21; i++) {
      const seededRow = row(variants[i % variants.length]!);
      seededIds.push(seededRow.id);
      await insertRun(server.services.db, seededRow);
    }
  });

  it('pages newest first with no duplicates or gaps, while new rows arrive', async () => {
    const arriving = async () => insertRun(server.services.db, row({ app: 'late' }));
    const ids = await allPages('&app=alpha', 2, arriving);
    const expected = seededIds.filter((_, i) => [0, 2, 3, 5, 6].includes(i % 7)).reverse();
    expect(ids).toEqual(expected);
  });

  it('filters by app, status, error_code, model and time', async () => {
    const count = async (query: string) => (await allPages(query, 500)).length;
    expect(await count('&app=beta')).toBe(6);
    expect(await count('&status=timeout')).toBe(3);
    expect(await count('&error_code=queue_full')).toBe(3);
    expect(await count('&model=opus')).toBe(3);
    const since = new Date(Date.UTC(2026, 10, 1) + 5 * 60_000).toISOString();
    const until = new Date(Date.UTC(2026, 10, 1) + 10 * 60_000).toISOString();
    expect(await count(`&since=${since}&until=${until}`)).toBe(5); // seeded rows 5..9: since inclusive, until exclusive
  });

  it('never lists prompts, and returns the row fields', async () => {
    const response = await admin('/admin/runs?limit=1&app=beta');
    expect(Object.keys(response.body.runs[0]).sort()).toEqual(
      ['account', 'app', 'cost_usd', 'created_at', 'duration_ms', 'error_code', 'exit_code', 'file_count', 'input_tokens', 'model', 'output_tokens',
        'prompt_chars', 'queue_wait_ms', 'request_id', 'response_chars', 'run_id', 'session_id', 'status', 'stop_reason', 'system_chars', 'turn', 'failover_from'].sort(),
    );
  });

  it('refuses a bad cursor, limit or filter with 400', async () => {
    for (const query of ['cursor=not!a!cursor', 'cursor=eHl6', 'limit=0', 'limit=501', 'status=weird', 'since=yesterday', 'surprise=1']) {
      const response = await admin(`/admin/runs?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });

  it('is for the admin only', async () => {
    const appToken = await mintToken(server.url, 'nosy');
    expectError(await api(server.url, 'GET', '/admin/runs', { token: appToken }), 'unauthorized');
  });
});

describe('GET /admin/runs/{run_id}', () => {
  it('returns one row with its prompt; 404 for an unknown id', async () => {
    const token = await mintToken(server.url, 'real-app');
    const run = await api(server.url, 'POST', '/run', { token, body: { prompt: 'the prompt to find' }, headers: { 'x-request-id': 'find-me' } });
    const response = await admin(`/admin/runs/${run.body.run_id}`);
    expect(response.body).toMatchObject({ run_id: run.body.run_id, app: 'real-app', status: 'ok', prompt: 'the prompt to find', request_id: 'find-me', error_message: null });
    expectError(await admin('/admin/runs/run_doesnotexist'), 'not_found');
  });

  it('keeps what a failed run\'s caller was told, in the detail only', async () => {
    const token = await mintToken(server.url, 'failing-app');
    const failed = await api(server.url, 'POST', '/run', { token, body: { prompt: '[[exit:3]] break' } });
    expect(failed.status).toBe(502);
    const rows = await admin('/admin/runs?app=failing-app');
    expect(rows.body.runs[0]).not.toHaveProperty('error_message');
    const detail = await admin(`/admin/runs/${rows.body.runs[0].run_id}`);
    expect(detail.body).toMatchObject({ error_code: 'claude_error', error_message: failed.body.error.message });
  });
});
