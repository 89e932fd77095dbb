// GET /admin/usage reads whole hours from the trigger-kept rollup and partial
// hours from the audit rows: every window must give exactly what a brute-force
// pass over the rows gives, also after pruning and for rows older than the rollup.
import type { UsageGroup } from '@clawdforge/shared';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import { migrationProvider } from '../src/db/migrations.js';
import { addExactCostToRollup } from '../src/db/usage-rollup-migration.js';
import { pruneAuditLog } from '../src/admin/audit-retention.js';
import { insertRun, type AuditRow } from '../src/runs/runs.repository.js';
import { usageFigures, type Grouping } from '../src/admin/usage.repository.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, startTestServer, type TestServer } from './support/test-server.js';

const START = Date.UTC(2026, 10, 1);
const HOUR = 60 * 60 * 1000;

/** Deterministic rows spread over three days at odd minutes, seconds and milliseconds. */
function seededRows(count: number, prefix: string): AuditRow[] {
  let state = 42;
  const next = (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
  return Array.from({ length: count }, (_, i) => {
    const outcome = (['ok', 'ok', 'ok', 'error', 'timeout', 'rejected'] as const)[next(6)]!;
    const errorCode = { ok: null, error: 'claude_error', timeout: 'claude_timeout', rejected: 'queue_full' }[outcome];
    return {
      id: `${prefix}${i}`, app: `app${next(3)}`, model: ['sonnet', 'opus'][next(2)]!, prompt: null,
      prompt_chars: next(500), system_chars: 0, file_count: 0, response_chars: outcome === 'ok' ? next(900) : null,
      status: outcome, error_code: errorCode, exit_code: 0, stop_reason: null, session_id: null,
      input_tokens: outcome === 'ok' ? next(1000) : null, output_tokens: outcome === 'ok' ? next(300) : null,
      cost_usd: outcome === 'ok' ? next(1000) / 10_000 : null, queue_wait_ms: next(50) * 10, duration_ms: 100 + next(5000),
      created_at: new Date(START + next(3 * 24 * HOUR)).toISOString(), request_id: null,
    };
  });
}

const KEY: Record<Grouping, (row: AuditRow) => string> = { app: (r) => r.app, model: (r) => r.model, day: (r) => r.created_at.slice(0, 10) };

function nearestRank(values: number[], percent: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((values.length * percent) / 100) - 1] ?? null;
}

/** The reference: every figure computed from the rows in plain JavaScript. */
function bruteForce(rows: AuditRow[], groupBy: Grouping, since?: string, until?: string): UsageGroup[] {
  const inWindow = rows.filter((r) => (!since || Date.parse(r.created_at) >= Date.parse(since)) && (!until || Date.parse(r.created_at) < Date.parse(until)));
  const keys = [...new Set(inWindow.map(KEY[groupBy]))].sort();
  return keys.map((key) => {
    const group = inWindow.filter((r) => KEY[groupBy](r) === key);
    const reached = group.filter((r) => r.status !== 'rejected');
    const errors: Record<string, number> = {};
    for (const r of group) if (r.error_code) errors[r.error_code] = (errors[r.error_code] ?? 0) + 1;
    const sum = (pick: (r: AuditRow) => number | null | undefined) => group.reduce((total, r) => total + (pick(r) ?? 0), 0);
    return {
      key, runs: group.length, ok: group.filter((r) => r.status === 'ok').length, errors,
      duration_ms_p50: nearestRank(reached.map((r) => r.duration_ms), 50),
      duration_ms_p95: nearestRank(reached.map((r) => r.duration_ms), 95),
      queue_wait_ms_p95: nearestRank(reached.map((r) => r.queue_wait_ms), 95),
      prompt_chars: sum((r) => r.prompt_chars), response_chars: sum((r) => r.response_chars),
      input_tokens: sum((r) => r.input_tokens), output_tokens: sum((r) => r.output_tokens),
      cost_usd: expect.closeTo(sum((r) => r.cost_usd), 9) as unknown as number,
    };
  });
}

const WINDOWS: Array<[string | undefined, string | undefined]> = [
  [undefined, undefined],
  ['2026-11-01T05:17:43.210Z', undefined], // partial first hour, open end
  [undefined, '2026-11-02T13:02:00.001Z'], // open start, partial last hour
  ['2026-11-01T10:05:00.000Z', '2026-11-01T10:55:00.000Z'], // inside one hour
  ['2026-11-01T10:05:00Z', '2026-11-03T07:59:59Z'], // no milliseconds (text-compares wrongly unless rewritten), partial hours at both ends
  ['2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'], // whole hours only
  ['2026-11-02T06:30:00.000Z', '2026-11-02T07:00:00.000Z'], // ends on an hour
  ['2026-11-02T06:30:00.000Z', '2026-11-02T06:30:00.000Z'], // empty
];

describe('GET /admin/usage over the hourly rollup', () => {
  let server: TestServer;
  let rows: AuditRow[];
  beforeAll(async () => {
    server = await startTestServer();
    rows = seededRows(600, 'run_rollup');
    for (const row of rows) await insertRun(server.services.db, row);
  });
  afterAll(() => server.dispose());

  const usage = async (groupBy: Grouping, since?: string, until?: string) => {
    const query = new URLSearchParams({ group_by: groupBy, ...(since && { since }), ...(until && { until }) });
    const response = await api(server.url, 'GET', `/admin/usage?${query}`, { token: ADMIN_TOKEN });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.groups;
  };

  it.each(WINDOWS)('matches a brute-force pass over the rows for since=%s until=%s', async (since, until) => {
    for (const groupBy of ['app', 'model', 'day'] as const) {
      expect(await usage(groupBy, since, until)).toEqual(bruteForce(rows, groupBy, since, until));
    }
  });

  it('stays exact after retention pruning deletes rows (the rollup is decremented with them)', async () => {
    const clock = { now: () => new Date(START + 36 * HOUR + 90 * 24 * HOUR) }; // cut in the middle of day 2
    const pruned = await pruneAuditLog(server.services.db, clock, 90);
    const kept = rows.filter((r) => Date.parse(r.created_at) >= START + 36 * HOUR);
    expect(pruned).toBe(rows.length - kept.length);
    expect(pruned).toBeGreaterThan(0);
    for (const [since, until] of WINDOWS.slice(0, 5)) {
      expect(await usage('day', since, until)).toEqual(bruteForce(kept, 'day', since, until));
      expect(await usage('app', since, until)).toEqual(bruteForce(kept, 'app', since, until));
    }
  });
});

describe('the rollup migration', () => {
  it('backfills audit rows written before it existed', async () => {
    const dir = makeTempDir();
    const db = openDatabase(dir.path);
    try {
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0006_admin_actions');
      expect(error).toBeUndefined();
      const rows = seededRows(200, 'run_backfill');
      // Rows as that schema had them: the audit row's later columns (turn, 0011) do not exist yet.
      for (const row of rows) await db.insertInto('runs').values(row).execute();
      expect(await migrateToLatest(db)).toContain('0007_usage_rollup');
      for (const [since, until] of WINDOWS) {
        expect(await usageFigures(db, 'model', since, until)).toEqual(bruteForce(rows, 'model', since, until));
      }
    } finally {
      await db.destroy();
      dir.remove();
    }
  });

  it('can run 0014 (exact costs) again after a kill midway: Kysely does not wrap SQLite DDL in a transaction', async () => {
    const dir = makeTempDir();
    const db = openDatabase(dir.path);
    try {
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0013_admin_sessions');
      expect(error).toBeUndefined();
      const rows = seededRows(100, 'run_micro');
      for (const row of rows) await db.insertInto('runs').values(row).execute();
      await addExactCostToRollup(db as unknown as Parameters<typeof addExactCostToRollup>[0]); // as if 0014 ran, and the process died before it was recorded
      expect(await migrateToLatest(db)).toContain('0014_usage_micro_usd');
      expect(await usageFigures(db, 'app')).toEqual(bruteForce(rows, 'app', undefined, undefined));
      await db.insertInto('runs').values({ ...rows[0]!, id: 'run_after_rerun' }).execute(); // the triggers exist, once
      expect(await usageFigures(db, 'app')).toEqual(bruteForce([...rows, { ...rows[0]!, id: 'run_after_rerun' }], 'app', undefined, undefined));
    } finally {
      await db.destroy();
      dir.remove();
    }
  });
});
