// Schema migrations, in code so they ship inside the build with no file lookup.
// Append only: a released migration is never edited.
import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { addExactCostToRollup, createUsageRollup } from './usage-rollup-migration.js';

const migrations: Record<string, Migration> = {
  '0001_tokens': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tokens')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('token_hash', 'text', (col) => col.notNull().unique())
        .addColumn('ip_cidrs', 'text', (col) => col.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
    },
  },
  '0002_runs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('runs')
        // seq gives a stable insertion order for pagination; id is the public run id.
        .addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('id', 'text', (col) => col.notNull().unique())
        .addColumn('app', 'text', (col) => col.notNull())
        .addColumn('model', 'text', (col) => col.notNull())
        .addColumn('prompt', 'text')
        .addColumn('prompt_chars', 'integer', (col) => col.notNull())
        .addColumn('system_chars', 'integer', (col) => col.notNull())
        .addColumn('file_count', 'integer', (col) => col.notNull())
        .addColumn('response_chars', 'integer')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('error_code', 'text')
        .addColumn('exit_code', 'integer')
        .addColumn('stop_reason', 'text')
        .addColumn('session_id', 'text')
        .addColumn('input_tokens', 'integer')
        .addColumn('output_tokens', 'integer')
        .addColumn('cost_usd', 'real')
        .addColumn('queue_wait_ms', 'integer', (col) => col.notNull())
        .addColumn('duration_ms', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('runs_created_at').on('runs').column('created_at').execute();
      await db.schema.createIndex('runs_app_created_at').on('runs').columns(['app', 'created_at']).execute();
    },
  },
  '0003_files': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('files')
        .addColumn('token_hash', 'text', (col) => col.primaryKey())
        .addColumn('app', 'text', (col) => col.notNull())
        .addColumn('stored_name', 'text', (col) => col.notNull().unique())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('size', 'integer', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('content_type', 'text', (col) => col.notNull())
        .addColumn('ttl_secs', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('files_expires_at').on('files').column('expires_at').execute();
      await db.schema.createIndex('files_app').on('files').column('app').execute();
    },
  },
  '0004_runs_request_id': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('runs').addColumn('request_id', 'text').execute();
    },
  },
  '0005_runs_filter_indexes': {
    async up(db: Kysely<unknown>) {
      // The audit API filters by app or status and pages newest first.
      await db.schema.createIndex('runs_app_seq').on('runs').columns(['app', 'seq']).execute();
      await db.schema.createIndex('runs_status_seq').on('runs').columns(['status', 'seq']).execute();
    },
  },
  '0006_admin_actions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('admin_actions')
        .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('target', 'text', (col) => col.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('request_id', 'text')
        .execute();
    },
  },
  '0007_usage_rollup': { up: createUsageRollup },
  '0008_token_policy': {
    async up(db: Kysely<unknown>) {
      // The policy is one JSON object ('{}': every default), read with the token on each request.
      await db.schema.alterTable('tokens').addColumn('policy', 'text', (col) => col.notNull().defaultTo('{}')).execute();
      // A rotation keeps the old hash working until previous_expires_at.
      await db.schema.alterTable('tokens').addColumn('previous_token_hash', 'text').execute();
      await db.schema.alterTable('tokens').addColumn('previous_expires_at', 'text').execute();
      await db.schema.createIndex('tokens_previous_token_hash').on('tokens').column('previous_token_hash').execute();
    },
  },
  '0009_async_runs': {
    async up(db: Kysely<unknown>) {
      // An async run outlives its request: where it stands, and how it ended (the result body or the error envelope).
      await db.schema
        .createTable('async_runs')
        .addColumn('run_id', 'text', (col) => col.primaryKey())
        .addColumn('app', 'text', (col) => col.notNull())
        // The token's mint time: a later token of the same name (after a revoke) is another owner.
        .addColumn('token_created_at', 'text', (col) => col.notNull())
        .addColumn('model', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('request_id', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('outcome', 'text')
        .execute();
      await db.schema.createIndex('async_runs_status').on('async_runs').column('status').execute();
      await db.schema.createIndex('async_runs_finished_at').on('async_runs').column('finished_at').execute();
      // Its events, numbered as they were sent: a reader resumes after the last it saw.
      await sql`create table run_events (
        run_id text not null references async_runs(run_id) on delete cascade,
        seq integer not null,
        type text not null,
        data text not null,
        primary key (run_id, seq)
      ) without rowid`.execute(db);
    },
  },
  '0010_webhooks': {
    async up(db: Kysely<unknown>) {
      // The secret the app's webhooks are signed with (set with its webhook_url, which lives in the policy).
      await db.schema.alterTable('tokens').addColumn('webhook_secret', 'text').execute();
      // Each delivery until it is done: it survives a restart, and its id (the webhook-id header) never changes.
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('id', 'text', (col) => col.notNull().unique())
        .addColumn('app', 'text', (col) => col.notNull())
        .addColumn('token_created_at', 'text', (col) => col.notNull())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('run_id', 'text', (col) => col.notNull())
        .addColumn('url', 'text', (col) => col.notNull())
        .addColumn('payload', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('delivered_at', 'text')
        // Set while an attempt is under way: only that attempt may write its outcome (a redeliver or a 410 clears it).
        .addColumn('lease', 'text')
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    },
  },
  '0011_sessions': {
    async up(db: Kysely<unknown>) {
      // A session's turn carries its number; its session_id is then the clawdforge session's.
      await db.schema.alterTable('runs').addColumn('turn', 'integer').execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('app', 'text', (col) => col.notNull())
        .addColumn('token_created_at', 'text', (col) => col.notNull())
        // The CLI's session id: made here, never taken from an app.
        .addColumn('cli_session_id', 'text', (col) => col.notNull().unique())
        // The working directory's name under RUNS_DIR.
        .addColumn('dir_name', 'text', (col) => col.notNull().unique())
        .addColumn('writable', 'integer', (col) => col.notNull())
        .addColumn('model', 'text', (col) => col.notNull())
        .addColumn('tools', 'text', (col) => col.notNull())
        // Kept until the first turn has given them to the CLI, which keeps them from then on.
        .addColumn('system', 'text')
        .addColumn('append_system', 'text')
        .addColumn('json_schema', 'text')
        .addColumn('ttl_secs', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('last_activity_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('turns', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
        // Integer micro-dollars: sums of floats print noise.
        .addColumn('cost_micro_usd', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('forked_from', 'text')
        // A fork's copy of its origin's transcript, under this id, until its first turn forks from it.
        .addColumn('fork_source', 'text')
        // Set while a turn has the session open (its history handed to the CLI): a start after a crash takes what the CLI wrote.
        .addColumn('open_turn', 'integer', (col) => col.notNull().defaultTo(0))
        // active, or expired (kept a while so a late turn hears why it is gone).
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('ended_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_app').on('sessions').columns(['app', 'state']).execute();
      await db.schema.createIndex('sessions_expiry').on('sessions').columns(['state', 'expires_at']).execute();
    },
  },
  '0012_accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('config_dir', 'text')
        // References only: a variable name, a file path. A secret's value is never stored.
        .addColumn('secret_env', 'text')
        .addColumn('secret_file', 'text')
        .addColumn('priority', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('max_concurrent', 'integer')
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('disabled', 'integer', (col) => col.notNull().defaultTo(0))
        // Its state outlives a restart: a limit hit an hour ago still holds.
        .addColumn('cooling_until', 'text')
        .addColumn('reason', 'text')
        .addColumn('logged_out_at', 'text')
        .addColumn('last_rate_limit', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.alterTable('runs').addColumn('account', 'text').execute();
      await db.schema.alterTable('runs').addColumn('failover_from', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('account', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('cli_config_dir', 'text').execute();
    },
  },
  '0013_admin_sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('admin_sessions')
        .addColumn('secret_hash', 'text', (col) => col.primaryKey())
        .addColumn('admin_fingerprint', 'text', (col) => col.notNull())
        .addColumn('peer', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .execute();
    },
  },
  '0014_usage_micro_usd': {
    async up(db: Kysely<unknown>) {
      await addExactCostToRollup(db);
    },
  },
  '0015_run_error_message': {
    async up(db: Kysely<unknown>) {
      // A failed run's message as its caller got it: the dashboard's run detail shows why, not only the code.
      await db.schema.alterTable('runs').addColumn('error_message', 'text').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
