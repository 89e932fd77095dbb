// Usage figures for GET /admin/usage. Totals come from the hourly rollup for the
// whole hours of the window and from the audit rows themselves for the partial
// hours at its edges, so any since/until is exact. Percentiles are exact nearest
// rank, read by walking a covering index (see db/usage-rollup-migration.ts).
import type { UsageGroup } from '@clawdforge/shared';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { GROUP_EXPRESSIONS, MICRO_USD_OF, PERCENTILE_INDEXES } from '../db/usage-rollup-migration.js';
import { splitWindow, type InstantRange } from './usage-window.js';

export type Grouping = keyof typeof GROUP_EXPRESSIONS;

interface PartialRow {
  key: string;
  status: string;
  error_code: string;
  runs: number;
  prompt_chars: number;
  response_chars: number;
  input_tokens: number;
  output_tokens: number;
  /** Integer micro-dollars: exact to add up. */
  cost_micro_usd: number;
}

const SUMS = ['prompt_chars', 'response_chars', 'input_tokens', 'output_tokens', 'cost_micro_usd'] as const;
/** The same sums over the audit rows themselves, where the cost is still in dollars. */
const AUDIT_SUMS = ['prompt_chars', 'response_chars', 'input_tokens', 'output_tokens'].map((column) => `coalesce(sum(${column}), 0) as ${column}`).concat(`coalesce(sum(${MICRO_USD_OF('cost_usd')}), 0) as cost_micro_usd`);

/** Totals per (key, status, error code) over whole hours, from the rollup. */
async function rollupRows(db: Db, groupBy: Grouping, fromHour: string | null, toHour: string | null): Promise<PartialRow[]> {
  const key = groupBy === 'day' ? 'substr(hour, 1, 10)' : groupBy; // fixed text, never caller input
  const conditions = [sql`1 = 1`];
  if (fromHour) conditions.push(sql`hour >= ${fromHour}`);
  if (toHour) conditions.push(sql`hour < ${toHour}`);
  const result = await sql<PartialRow>`
    select ${sql.raw(key)} as key, status, error_code, sum(runs) as runs,
      ${sql.raw(SUMS.map((column) => `sum(${column}) as ${column}`).join(', '))}
    from usage_hourly where ${sql.join(conditions, sql` and `)} group by 1, 2, 3`.execute(db);
  return result.rows;
}

/** The same totals straight from the audit rows, for a partial hour. */
async function auditRows(db: Db, groupBy: Grouping, range: InstantRange): Promise<PartialRow[]> {
  const result = await sql<PartialRow>`
    select ${sql.raw(GROUP_EXPRESSIONS[groupBy])} as key, status, coalesce(error_code, '') as error_code, count(*) as runs,
      ${sql.raw(AUDIT_SUMS.join(', '))}
    from runs where created_at >= ${range.from} and created_at < ${range.to} group by 1, 2, 3`.execute(db);
  return result.rows;
}

interface GroupTotals extends Omit<UsageGroup, 'duration_ms_p50' | 'duration_ms_p95' | 'queue_wait_ms_p95' | 'cost_usd'> {
  cost_micro_usd: number;
  /** Runs that reached the CLI (not rejected): the population of the percentiles. */
  reached: number;
}

function mergeRows(rows: PartialRow[]): GroupTotals[] {
  const groups = new Map<string, GroupTotals>();
  for (const row of rows) {
    let group = groups.get(row.key);
    if (!group) {
      group = { key: row.key, runs: 0, ok: 0, errors: {}, reached: 0, prompt_chars: 0, response_chars: 0, input_tokens: 0, output_tokens: 0, cost_micro_usd: 0 };
      groups.set(row.key, group);
    }
    group.runs += row.runs;
    if (row.status === 'ok') group.ok += row.runs;
    if (row.status !== 'rejected') group.reached += row.runs;
    if (row.error_code) group.errors[row.error_code] = (group.errors[row.error_code] ?? 0) + row.runs;
    for (const column of SUMS) group[column] += row[column];
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The nearest-rank percentile of one latency column within one group: ceil(n * p / 100)-th smallest. */
async function percentile(db: Db, groupBy: Grouping, key: string, column: 'duration_ms' | 'queue_wait_ms', percent: number, population: number, since: string | null, until: string | null): Promise<number | null> {
  const rank = Math.ceil((population * percent) / 100);
  const conditions = [sql`${sql.raw(GROUP_EXPRESSIONS[groupBy])} = ${key}`, sql`status != 'rejected'`];
  if (since) conditions.push(sql`created_at >= ${since}`);
  if (until) conditions.push(sql`created_at < ${until}`);
  const result = await sql<{ value: number }>`
    select ${sql.raw(column)} as value from runs indexed by ${sql.raw(PERCENTILE_INDEXES[groupBy][column])}
    where ${sql.join(conditions, sql` and `)}
    order by ${sql.raw(column)} limit 1 offset ${rank - 1}`.execute(db);
  // Rows pruned between the totals and this read can leave the rank past the end.
  return result.rows[0]?.value ?? null;
}

export async function usageFigures(db: Db, groupBy: Grouping, since?: string, until?: string): Promise<UsageGroup[]> {
  const window = splitWindow(since, until);
  const rows: PartialRow[] = [];
  if (window.wholeHours) rows.push(...(await rollupRows(db, groupBy, window.wholeHours.fromHour, window.wholeHours.toHour)));
  for (const range of window.edges) rows.push(...(await auditRows(db, groupBy, range)));

  const groups: UsageGroup[] = [];
  for (const { reached, cost_micro_usd: costMicroUsd, ...totals } of mergeRows(rows)) {
    const at = (column: 'duration_ms' | 'queue_wait_ms', percent: number) =>
      reached === 0 ? null : percentile(db, groupBy, totals.key, column, percent, reached, window.since, window.until);
    groups.push({
      ...totals,
      cost_usd: costMicroUsd / 1_000_000, // a whole number of micro-dollars over a million: no float noise in the sum
      duration_ms_p50: await at('duration_ms', 50),
      duration_ms_p95: await at('duration_ms', 95),
      queue_wait_ms_p95: await at('queue_wait_ms', 95),
    });
  }
  return groups;
}
