// Migration 0007: what GET /admin/usage needs to stay fast on millions of audit rows.
// - usage_hourly: per hour, app, model, status and error code, the run count and
//   the sums, kept by triggers in the same transaction as the audit row (and its
//   pruning), so it can never drift from the runs table.
// - one covering index per (grouping, latency column), so a nearest-rank
//   percentile is an index seek plus an OFFSET walk, never a sort.
import { sql, type Kysely } from 'kysely';

const SUMMED = ['prompt_chars', 'response_chars', 'input_tokens', 'output_tokens', 'cost_usd'] as const;
const ROLLUP_KEY = `hour = substr(old.created_at, 1, 13) and app = old.app and model = old.model
    and status = old.status and error_code = coalesce(old.error_code, '')`;

export const PERCENTILE_INDEXES = {
  app: { duration_ms: 'runs_usage_app_duration', queue_wait_ms: 'runs_usage_app_wait' },
  model: { duration_ms: 'runs_usage_model_duration', queue_wait_ms: 'runs_usage_model_wait' },
  day: { duration_ms: 'runs_usage_day_duration', queue_wait_ms: 'runs_usage_day_wait' },
} as const;

export const GROUP_EXPRESSIONS = { app: 'app', model: 'model', day: 'substr(created_at, 1, 10)' } as const;

export async function createUsageRollup(db: Kysely<unknown>): Promise<void> {
  await sql`create table usage_hourly (
    hour text not null, -- 'YYYY-MM-DDTHH' (UTC), the first 13 characters of created_at
    app text not null,
    model text not null,
    status text not null,
    error_code text not null, -- '' when none: a primary key column cannot usefully be null
    runs integer not null,
    prompt_chars integer not null,
    response_chars integer not null,
    input_tokens integer not null,
    output_tokens integer not null,
    cost_usd real not null,
    primary key (hour, app, model, status, error_code)
  ) without rowid`.execute(db);

  await createRollupTriggers(db, SUMMED.map((column) => ({ column, of: (row) => `coalesce(${row}.${column}, 0)` })));

  await sql.raw(`insert into usage_hourly
    select substr(created_at, 1, 13), app, model, status, coalesce(error_code, ''), count(*),
      ${SUMMED.map((column) => `coalesce(sum(${column}), 0)`).join(', ')}
    from runs group by 1, 2, 3, 4, 5`).execute(db);

  for (const [grouping, byColumn] of Object.entries(PERCENTILE_INDEXES)) {
    for (const [column, name] of Object.entries(byColumn)) {
      const expression = GROUP_EXPRESSIONS[grouping as keyof typeof GROUP_EXPRESSIONS];
      await sql.raw(`create index ${name} on runs (${expression}, ${column}, created_at, status)`).execute(db);
    }
  }
}

/** A run's cost in integer micro-dollars, in SQL: sums of these are exact, where sums of REAL dollars print float noise. */
export const MICRO_USD_OF = (column: string) => `cast(round(min(max(coalesce(${column}, 0), 0), 1000000) * 1000000) as integer)`; // 0 to $1M a run: a sum never overflows

/**
 * Migration 0014: usage_hourly gains cost_micro_usd, filled from the audit
 * rows in one grouped pass, and the triggers keep it from then on. The REAL
 * cost_usd column stays (older readers) but is no longer summed for answers.
 */
export async function addExactCostToRollup(db: Kysely<unknown>): Promise<void> {
  // Each step can run again: Kysely does not wrap SQLite DDL in a transaction, so a kill midway reruns this migration.
  const columns0 = await sql<{ name: string }>`select name from pragma_table_info('usage_hourly')`.execute(db);
  if (!columns0.rows.some((column) => column.name === 'cost_micro_usd')) {
    await sql`alter table usage_hourly add column cost_micro_usd integer not null default 0`.execute(db);
  }
  await sql.raw(`update usage_hourly set cost_micro_usd = sums.micro from (
      select substr(created_at, 1, 13) as hour, app, model, status, coalesce(error_code, '') as error_code, sum(${MICRO_USD_OF('cost_usd')}) as micro
      from runs group by 1, 2, 3, 4, 5
    ) as sums
    where usage_hourly.hour = sums.hour and usage_hourly.app = sums.app and usage_hourly.model = sums.model
      and usage_hourly.status = sums.status and usage_hourly.error_code = sums.error_code`).execute(db);
  await sql`drop trigger if exists runs_usage_insert`.execute(db);
  await sql`drop trigger if exists runs_usage_delete`.execute(db);
  await createRollupTriggers(db, [
    ...SUMMED.map((column) => ({ column, of: (row: 'new' | 'old') => `coalesce(${row}.${column}, 0)` })),
    { column: 'cost_micro_usd', of: (row: 'new' | 'old') => MICRO_USD_OF(`${row}.cost_usd`) },
  ]);
}

/** The triggers that keep usage_hourly in step with runs: each summed column, and what a run adds to it (`row` is new or old). */
async function createRollupTriggers(db: Kysely<unknown>, sums: ReadonlyArray<{ column: string; of: (row: 'new' | 'old') => string }>): Promise<void> {
  const columns = sums.map(({ column }) => column).join(', ');
  const values = sums.map(({ of }) => of('new')).join(', ');
  const add = sums.map(({ column }) => `${column} = ${column} + excluded.${column}`).join(', ');
  const subtract = sums.map(({ column, of }) => `${column} = ${column} - ${of('old')}`).join(', ');
  await sql.raw(`create trigger runs_usage_insert after insert on runs begin
    insert into usage_hourly (hour, app, model, status, error_code, runs, ${columns})
    values (substr(new.created_at, 1, 13), new.app, new.model, new.status, coalesce(new.error_code, ''), 1, ${values})
    on conflict do update set runs = runs + 1, ${add};
  end`).execute(db);
  await sql.raw(`create trigger runs_usage_delete after delete on runs begin
    update usage_hourly set runs = runs - 1, ${subtract} where ${ROLLUP_KEY};
    delete from usage_hourly where ${ROLLUP_KEY} and runs = 0;
  end`).execute(db);
}
