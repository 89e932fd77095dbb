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
