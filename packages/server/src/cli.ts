#!/usr/bin/env node
// The operator CLI, working on $DATA_DIR directly: for before the service is up,
// or when the admin token is lost. Output is the admin API's JSON; errors are the
// API's error envelope on stderr (exit 1; exit 2 for usage and invalid input).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenInputSchema, rotateTokenInputSchema, tokenNameSchema, updateTokenInputSchema } from '@clawdforge/shared';
import { pino } from 'pino';
import { systemClock } from './clock.js';
import { enforcePrivateModes } from './confinement/private-modes.js';
import { DATABASE_FILE, migrateToLatest, openDatabase, type Db } from './db/database.js';
import { toPublicError } from './errors.js';
import { FileService } from './files/file-service.js';
import { FileStore } from './files/file-store.js';
import { StorageGate } from './files/storage-gate.js';
import { configOrExit, serve } from './serve.js';
import { accountsCommand, ACCOUNTS_USAGE } from './accounts/accounts-cli.js';
import { createAppToken, listAppTokens, revokeAppToken, rotateAppToken, updateAppToken } from './tokens/token-service.js';
import type { ZodError } from 'zod';

const USAGE = `usage: clawdforge <command>
  serve                               run the service (the default)
  migrate                             apply pending database migrations
  tokens create NAME [--cidr C ...] [--policy JSON]
                                      mint an app token (printed once); JSON as for POST /admin/tokens,
                                      e.g. '{"models":["sonnet"],"runs_per_day":500}'
  tokens update NAME [--cidr C ...] [--policy JSON]
                                      change its addresses or policy (null lifts a limit)
  tokens rotate NAME [--grace-secs N] a new plaintext; the old one works N seconds more (default 0)
  tokens list                         list app tokens
  tokens revoke NAME                  revoke an app token and delete its files
${ACCOUNTS_USAGE}
Configuration comes from the environment and ./.env, as for the service (DATA_DIR above all).`;

class UsageError extends Error {}

const CLI_ACTOR = { actor: 'cli', requestId: null };

const print = (value: unknown) => process.stdout.write(JSON.stringify(value, null, 2) + '\n');

function validationMessage(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'name'}: ${issue.message}`).join('; ');
}

/** Opens $DATA_DIR's database, migrated unless `migrate: false`, for the length of `work`. */
async function withDatabase<T>(work: (db: Db) => Promise<T>, { migrate = true } = {}): Promise<T> {
  const config = configOrExit();
  const db = openDatabase(config.dataDir);
  enforcePrivateModes(config.dataDir, DATABASE_FILE, join(config.dataDir, 'files'));
  try {
    if (migrate) await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** --policy: a JSON object of policy fields, validated with the rest of the input. */
function policyOption(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--policy: not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--policy: must be a JSON object');
  return parsed as Record<string, unknown>;
}

async function tokens(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { cidr: { type: 'string', multiple: true }, policy: { type: 'string' }, 'grace-secs': { type: 'string' } },
  });
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  switch (action) {
    case 'create': {
      const input = createTokenInputSchema.safeParse({ ...policyOption(values.policy), name, ip_cidrs: values.cidr ?? [] });
      if (!input.success) throw new UsageError(validationMessage(input.error));
      print(await withDatabase((db) => createAppToken(db, systemClock, input.data, CLI_ACTOR, configOrExit())));
      return;
    }
    case 'update': {
      const input = updateTokenInputSchema.safeParse({ ...policyOption(values.policy), name, ...(values.cidr ? { ip_cidrs: values.cidr } : {}) });
      if (!input.success) throw new UsageError(validationMessage(input.error));
      print(await withDatabase((db) => updateAppToken(db, systemClock, input.data, CLI_ACTOR, configOrExit())));
      return;
    }
    case 'rotate': {
      const graceSecs = values['grace-secs'] === undefined ? undefined : Number(values['grace-secs']);
      const input = rotateTokenInputSchema.safeParse({ name, ...(graceSecs === undefined ? {} : { grace_secs: graceSecs }) });
      if (!input.success) throw new UsageError(validationMessage(input.error));
      print(await withDatabase((db) => rotateAppToken(db, systemClock, input.data, CLI_ACTOR)));
      return;
    }
    case 'list':
      if (name) throw new UsageError(`unexpected argument: ${name}`);
      print(await withDatabase((db) => listAppTokens(db, systemClock, new StorageGate(db, { maxStorageBytes: Infinity, freeBytes: () => Infinity }))));
      return;
    case 'revoke': {
      const parsed = tokenNameSchema.safeParse(name);
      if (!parsed.success) throw new UsageError(validationMessage(parsed.error));
      const dataDir = configOrExit().dataDir;
      print(
        await withDatabase((db) => {
          const files = new FileService({ db, clock: systemClock, store: new FileStore(join(dataDir, 'files')), logger: pino({ level: 'silent' }) });
          return revokeAppToken(db, systemClock, files, parsed.data, CLI_ACTOR);
        }),
      );
      return;
    }
    default:
      throw new UsageError(action ? `unknown tokens command: ${action}` : 'tokens needs a command');
  }
}

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate': {
      const applied = await withDatabase((db) => migrateToLatest(db), { migrate: false });
      print({ ok: true, applied });
      return;
    }
    case 'tokens':
      return tokens(rest);
    case 'accounts':
      return accountsCommand(rest, { config: configOrExit(), withDatabase: (work) => withDatabase(work), print, usageError: (message) => new UsageError(message) });
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return;
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

// Whatever the service or this CLI creates (database, uploads, run files) is private to it.
process.umask(0o077);
let exitCodeOnError = 1;
main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    process.stderr.write(`clawdforge: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const publicError = toPublicError(error);
  if (publicError.code === 'invalid_request') exitCodeOnError = 2; // invalid input, as for a bad --policy
  if (publicError.code === 'internal') process.stderr.write(`clawdforge: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.stderr.write(JSON.stringify({ ok: false, error: { code: publicError.code, message: publicError.message } }) + '\n');
  process.exit(exitCodeOnError);
});
