// The accounts table: definitions (from CLAUDE_ACCOUNTS_FILE or the operator
// CLI) and the state runs learn (cooling, logged out, the last rate limit
// report). Plain prepared statements: a run reads and writes here on its path.
import type SQLite from 'better-sqlite3';
import type { AccountDefinition } from '@clawdforge/shared';
import type { AccountsTable } from '../db/schema.js';

export type AccountRow = AccountsTable;

export class AccountsRepository {
  private readonly all: SQLite.Statement<[], AccountRow>;
  private readonly version: SQLite.Statement<[], { data_version: number }>;
  private readonly lastRateLimit: SQLite.Statement<[string, string]>;
  private ownChanges = 0;

  constructor(private readonly sqlite: SQLite.Database) {
    this.all = sqlite.prepare('select * from accounts order by priority desc, name');
    this.version = sqlite.prepare('pragma data_version');
    // Every run of an OAuth login reports its limits: this one is on the run path.
    this.lastRateLimit = sqlite.prepare('update accounts set last_rate_limit = ? where name = ?');
  }

  list(): AccountRow[] {
    return this.all.all();
  }

  /**
   * Changes whenever the accounts may have: another connection (the operator
   * CLI) committed (SQLite's data_version), or this one changed a definition
   * or an enabled state (which data_version does not count).
   */
  changeMark(): string {
    return `${this.version.get()!.data_version}:${this.ownChanges}`;
  }

  /** False when the name is taken. */
  add(definition: AccountDefinition, source: AccountRow['source'], createdAt: string): boolean {
    const result = this.sqlite
      .prepare(
        `insert into accounts (name, type, config_dir, secret_env, secret_file, priority, max_concurrent, source, created_at)
         values (@name, @type, @config_dir, @secret_env, @secret_file, @priority, @max_concurrent, @source, @created_at)
         on conflict (name) do nothing`,
      )
      .run({ ...definitionColumns(definition), source, created_at: createdAt });
    this.ownChanges += 1;
    return result.changes === 1;
  }

  remove(name: string): boolean {
    this.ownChanges += 1;
    return this.sqlite.prepare('delete from accounts where name = ?').run(name).changes === 1;
  }

  /**
   * Makes the config-declared accounts those of CLAUDE_ACCOUNTS_FILE: new ones
   * added, changed ones redefined (their state kept), dropped ones removed.
   * An account the operator CLI added under a declared name becomes the file's.
   * Removing is for the service's start only: an operator CLI run from a
   * shell without the file (or with a newer one) must not empty the table.
   */
  syncDeclared(definitions: readonly AccountDefinition[], now: string, options: { removeUndeclared: boolean }): void {
    const upsert = this.sqlite.prepare(
      `insert into accounts (name, type, config_dir, secret_env, secret_file, priority, max_concurrent, source, created_at)
       values (@name, @type, @config_dir, @secret_env, @secret_file, @priority, @max_concurrent, 'config', @created_at)
       on conflict (name) do update set type = excluded.type, config_dir = excluded.config_dir, secret_env = excluded.secret_env,
         secret_file = excluded.secret_file, priority = excluded.priority, max_concurrent = excluded.max_concurrent, source = 'config'`,
    );
    const names = new Set(definitions.map((definition) => definition.name));
    this.sqlite.transaction(() => {
      for (const definition of definitions) upsert.run({ ...definitionColumns(definition), created_at: now });
      if (!options.removeUndeclared) return;
      for (const row of this.list()) if (row.source === 'config' && !names.has(row.name)) this.remove(row.name);
    })();
    this.ownChanges += 1;
  }

  setDisabled(name: string, disabled: boolean): boolean {
    // Enabling also forgets a dead login and a cooldown: the operator says it is good again.
    const sql = disabled
      ? 'update accounts set disabled = 1 where name = ?'
      : 'update accounts set disabled = 0, logged_out_at = null, cooling_until = null, reason = null where name = ?';
    this.ownChanges += 1;
    return this.sqlite.prepare(sql).run(name).changes === 1;
  }

  setCooling(name: string, until: string, reason: string): void {
    this.sqlite.prepare('update accounts set cooling_until = ?, reason = ? where name = ?').run(until, reason, name);
  }

  setLoggedOut(name: string, at: string, reason: string): void {
    this.sqlite.prepare('update accounts set logged_out_at = ?, reason = ? where name = ?').run(at, reason, name);
  }

  setLastRateLimit(name: string, report: string): void {
    this.lastRateLimit.run(report, name);
  }
}

function definitionColumns(definition: AccountDefinition) {
  return {
    name: definition.name,
    type: definition.type,
    config_dir: definition.config_dir ?? null,
    secret_env: definition.secret_env ?? null,
    secret_file: definition.secret_file ?? null,
    priority: definition.priority,
    max_concurrent: definition.max_concurrent ?? null,
  };
}
