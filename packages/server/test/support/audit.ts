import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** Audit rows straight from the SQLite file, newest last. */
export function readAuditRows(dataDir: string): Record<string, any>[] {
  const sqlite = new SQLite(join(dataDir, 'clawdforge.sqlite'), { readonly: true });
  try {
    return sqlite.prepare('select * from runs order by seq').all() as Record<string, any>[];
  } finally {
    sqlite.close();
  }
}

/** How many async runs (POST /runs) the SQLite file holds. */
export function countAsyncRuns(dataDir: string): number {
  const sqlite = new SQLite(join(dataDir, 'clawdforge.sqlite'), { readonly: true });
  try {
    return (sqlite.prepare('select count(*) as count from async_runs').get() as { count: number }).count;
  } finally {
    sqlite.close();
  }
}
