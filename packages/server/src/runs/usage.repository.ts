// Usage figures over the audit log, computed in SQL: totals, errors by code and
// nearest-rank percentiles (window functions), one pass each, grouped by a key
// from a fixed list (never caller text in the SQL).
import type { UsageGroup } from '@clawdforge/shared';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';

const GROUP_KEYS = {
  app: sql`app`,
  model: sql`model`,
  day: sql`substr(created_at, 1, 10)`,
} as const satisfies Record<string, RawBuilder<unknown>>;

export type Grouping = keyof typeof GROUP_KEYS;

function rangeOf(since: string | undefined, until: string | undefined): RawBuilder<unknown> {
  const conditions = [sql`1 = 1`];
  if (since) conditions.push(sql`created_at >= ${since}`);
  if (until) conditions.push(sql`created_at < ${until}`);
  return sql.join(conditions, sql` and `);
}

// ceil(n * p / 100) in integer arithmetic: the nearest-rank percentile's rank.
const rank = (percent: number) => sql`(n * ${sql.lit(percent)} + 99) / 100`; // a literal: a bound JS number is REAL

export async function usageFigures(db: Db, groupBy: Grouping, since?: string, until?: string): Promise<UsageGroup[]> {
  const key = GROUP_KEYS[groupBy];
  const range = rangeOf(since, until);

  const totals = await sql<{ key: string; runs: number; ok: number; prompt_chars: number; response_chars: number; input_tokens: number; output_tokens: number; cost_usd: number }>`
    select ${key} as key, count(*) as runs, sum(status = 'ok') as ok,
      coalesce(sum(prompt_chars), 0) as prompt_chars, coalesce(sum(response_chars), 0) as response_chars,
      coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
      coalesce(sum(cost_usd), 0) as cost_usd
    from runs where ${range} group by 1 order by 1`.execute(db);

  const errors = await sql<{ key: string; error_code: string; n: number }>`
    select ${key} as key, error_code, count(*) as n
    from runs where ${range} and error_code is not null group by 1, 2`.execute(db);

  const percentiles = await sql<{ key: string; duration_ms_p50: number | null; duration_ms_p95: number | null; queue_wait_ms_p95: number | null }>`
    with ranked as (
      select ${key} as key, duration_ms, queue_wait_ms,
        row_number() over (partition by ${key} order by duration_ms) as duration_rank,
        row_number() over (partition by ${key} order by queue_wait_ms) as wait_rank,
        count(*) over (partition by ${key}) as n
      from runs where ${range} and status != 'rejected'
    )
    select key,
      max(case when duration_rank = ${rank(50)} then duration_ms end) as duration_ms_p50,
      max(case when duration_rank = ${rank(95)} then duration_ms end) as duration_ms_p95,
      max(case when wait_rank = ${rank(95)} then queue_wait_ms end) as queue_wait_ms_p95
    from ranked group by key`.execute(db);

  const errorsByKey = new Map<string, Record<string, number>>();
  for (const row of errors.rows) errorsByKey.set(row.key, { ...errorsByKey.get(row.key), [row.error_code]: row.n });
  const percentilesByKey = new Map(percentiles.rows.map((row) => [row.key, row]));
  return totals.rows.map((row) => {
    const p = percentilesByKey.get(row.key);
    return {
      ...row,
      errors: errorsByKey.get(row.key) ?? {},
      duration_ms_p50: p?.duration_ms_p50 ?? null,
      duration_ms_p95: p?.duration_ms_p95 ?? null,
      queue_wait_ms_p95: p?.queue_wait_ms_p95 ?? null,
    };
  });
}
