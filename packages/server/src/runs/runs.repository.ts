import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { RunsTable } from '../db/schema.js';

export type AuditRow = Omit<Insertable<RunsTable>, 'seq'>;

export async function insertRun(db: Db, row: AuditRow): Promise<void> {
  await db.insertInto('runs').values(row).execute();
}

/** Deletes at most `batchSize` runs created before `cutoff`; returns how many. */
export async function pruneRunsBefore(db: Db, cutoff: string, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom('runs')
    .where('seq', 'in', (qb) => qb.selectFrom('runs').select('seq').where('created_at', '<', cutoff).limit(batchSize))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
