import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { sqliteOf, type Db } from '../db/database.js';
import type { RunsTable } from '../db/schema.js';

export type AuditRow = Omit<Insertable<RunsTable>, 'seq'>;

/** Every column of an audit row, in insert order; the check below fails to compile when one is missing. */
const AUDIT_COLUMNS = [
  'id', 'app', 'model', 'prompt', 'prompt_chars', 'system_chars', 'file_count', 'response_chars', 'status', 'error_code',
  'exit_code', 'stop_reason', 'session_id', 'input_tokens', 'output_tokens', 'cost_usd', 'queue_wait_ms', 'duration_ms',
  'created_at', 'request_id', 'turn', 'account', 'failover_from', 'error_message',
] as const satisfies ReadonlyArray<keyof AuditRow>;
type Unlisted = Exclude<keyof AuditRow, (typeof AUDIT_COLUMNS)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyColumnListed;

const inserts = new WeakMap<Db, SQLite.Statement>();

/**
 * Writes one audit row: one prepared statement, and with it (by trigger, in
 * the same implicit transaction) the usage rollup.
 */
export function insertRun(db: Db, row: AuditRow): void {
  let insert = inserts.get(db);
  if (!insert) {
    insert = sqliteOf(db).prepare(`insert into runs (${AUDIT_COLUMNS.join(', ')}) values (${AUDIT_COLUMNS.map((column) => `@${column}`).join(', ')})`);
    inserts.set(db, insert);
  }
  const values: Record<string, unknown> = {};
  for (const column of AUDIT_COLUMNS) values[column] = row[column] ?? null;
  insert.run(values);
}

/** Deletes at most `batchSize` runs created before `cutoff`; returns how many. */
export async function pruneRunsBefore(db: Db, cutoff: string, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom('runs')
    .where('seq', 'in', (qb) => qb.selectFrom('runs').select('seq').where('created_at', '<', cutoff).limit(batchSize))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
