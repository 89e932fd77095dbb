import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';

export type Db = Kysely<Database>;

export const DATABASE_FILE = 'clawdforge.sqlite';

const rawHandles = new WeakMap<Db, SQLite.Database>();

/**
 * The better-sqlite3 handle under a Kysely instance, for the few statements on
 * every request's path (the token lookup, the audit insert): prepared once and
 * run synchronously, they skip Kysely's query building and its async
 * connection hand-off, which cost more than the query itself.
 */
export function sqliteOf(db: Db): SQLite.Database {
  const handle = rawHandles.get(db);
  if (!handle) throw new Error('not a database opened by openDatabase()');
  return handle;
}

/** Opens (creating when needed) `$dataDir/clawdforge.sqlite` in WAL mode. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(join(dataDir, DATABASE_FILE));
  // WAL: readers never block the writer, and a killed process loses no committed
  // row. synchronous=NORMAL is safe with WAL (at worst the last commits before a
  // power cut roll back) and keeps a commit from costing an fsync per run.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  cachePreparedStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  rawHandles.set(db, sqlite);
  return db;
}

/** Applies pending migrations; returns the names applied (none on an up-to-date file). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * Kysely's SQLite driver prepares every query anew; the hot path (token lookup,
 * audit insert) runs the same few SQL strings over and over, and preparing
 * costs more than running. Reuse prepared statements by SQL text.
 */
function cachePreparedStatements(sqlite: SQLite.Database, maxStatements = 256): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}
