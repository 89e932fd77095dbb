// Reading the audit log: newest first, keyset-paginated on the insertion order
// (seq), so rows arriving meanwhile never shift a page.
import type { RunDetail, RunRecord } from '@clawdforge/shared';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { pageOf } from '../db/keyset-page.js';
import type { RunsTable } from '../db/schema.js';

export interface RunFilters {
  app?: string | undefined;
  status?: string | undefined;
  error_code?: string | undefined;
  model?: string | undefined;
  session_id?: string | undefined;
  account?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

function toRecord(row: Selectable<RunsTable>): RunRecord {
  const { id, seq: _seq, prompt: _prompt, error_message: _message, ...rest } = row;
  return { run_id: id, ...rest, status: rest.status as RunRecord['status'] };
}

export async function listRuns(db: Db, filters: RunFilters, limit: number, beforeSeq: number | null): Promise<{ runs: RunRecord[]; next_cursor: string | null }> {
  let query = db.selectFrom('runs').selectAll().orderBy('seq', 'desc').limit(limit + 1);
  if (beforeSeq !== null) query = query.where('seq', '<', beforeSeq);
  if (filters.app) query = query.where('app', '=', filters.app);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.error_code) query = query.where('error_code', '=', filters.error_code);
  if (filters.model) query = query.where('model', '=', filters.model);
  if (filters.session_id) query = query.where('session_id', '=', filters.session_id);
  if (filters.account) query = query.where('account', '=', filters.account);
  if (filters.since) query = query.where('created_at', '>=', filters.since);
  if (filters.until) query = query.where('created_at', '<', filters.until);
  const { items, next_cursor } = pageOf(await query.execute(), limit, (row) => row.seq, toRecord);
  return { runs: items, next_cursor };
}

export async function findRun(db: Db, runId: string): Promise<RunDetail | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  return row && { ...toRecord(row), prompt: row.prompt, error_message: row.error_message };
}
