// `clawdforge accounts ...`: the operator CLI's view of the Claude accounts,
// on $DATA_DIR's database directly. A running service sees the change at its
// next run (it reads the table again when another process wrote to it).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { accountDefinitionSchema, accountNameSchema } from '@clawdforge/shared';
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import { sqliteOf, type Db } from '../db/database.js';
import { AccountPool } from './account-pool.js';
import { addAccount, removeAccount, setAccountEnabled, type AccountAdmin } from './account-service.js';
import { AccountsRepository } from './accounts.repository.js';

export const ACCOUNTS_USAGE = `  accounts list                       list the Claude accounts and their state
  accounts add NAME --type T [--config-dir DIR] [--secret-env VAR | --secret-file FILE]
               [--priority N] [--max-concurrent N]
                                      add one: T is config_dir (a login kept in DIR), oauth_token or api_key
                                      (the secret by reference: a variable of the service's environment, or a file)
  accounts enable NAME                put it back in rotation (forgets a refused login and a cooldown)
  accounts disable NAME               take it out of rotation
  accounts remove NAME                remove one added here (declared ones live in CLAUDE_ACCOUNTS_FILE)`;

const CLI_ACTOR = { actor: 'cli', requestId: null };

interface CliDeps {
  config: Config;
  withDatabase: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
  print: (value: unknown) => void;
  usageError: (message: string) => Error;
}

function adminFor(db: Db, config: Config): AccountAdmin {
  const repository = new AccountsRepository(sqliteOf(db));
  repository.syncDeclared(config.declaredAccounts, systemClock.now().toISOString(), { removeUndeclared: false });
  const pool = new AccountPool({
    repository,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    defaultConfigDir: config.claudeConfigDirOverride ?? join(config.home, '.claude'),
    secretEnv: config.accountSecretEnv,
  });
  return { db, clock: systemClock, pool, repository };
}

const integer = (text: string | undefined) => (text === undefined ? undefined : /^-?\d+$/.test(text) ? Number(text) : Number.NaN);

export async function accountsCommand(args: string[], deps: CliDeps): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      'config-dir': { type: 'string' },
      'secret-env': { type: 'string' },
      'secret-file': { type: 'string' },
      priority: { type: 'string' },
      'max-concurrent': { type: 'string' },
    },
  });
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw deps.usageError(`unexpected arguments: ${extra.join(' ')}`);
  const run = <T>(work: (admin: AccountAdmin) => Promise<T> | T) => deps.withDatabase(async (db) => work(adminFor(db, deps.config)));
  const named = () => {
    const parsed = accountNameSchema.safeParse(name);
    if (!parsed.success) throw deps.usageError(`account name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  };
  switch (action) {
    case 'list':
      if (name) throw deps.usageError(`unexpected argument: ${name}`);
      deps.print({ accounts: await run((admin) => admin.pool.views()) });
      return;
    case 'add': {
      const definition = accountDefinitionSchema.safeParse({
        name,
        type: values.type,
        ...(values['config-dir'] !== undefined ? { config_dir: values['config-dir'] } : {}),
        ...(values['secret-env'] !== undefined ? { secret_env: values['secret-env'] } : {}),
        ...(values['secret-file'] !== undefined ? { secret_file: values['secret-file'] } : {}),
        ...(values.priority !== undefined ? { priority: integer(values.priority) } : {}),
        ...(values['max-concurrent'] !== undefined ? { max_concurrent: integer(values['max-concurrent']) } : {}),
      });
      if (!definition.success) throw deps.usageError(definition.error.issues.map((issue) => `${issue.path.join('.') || 'account'}: ${issue.message}`).join('; '));
      deps.print(await run((admin) => addAccount(admin, definition.data, CLI_ACTOR)));
      return;
    }
    case 'enable':
    case 'disable': {
      const account = named();
      deps.print(await run((admin) => setAccountEnabled(admin, account, action === 'enable', CLI_ACTOR)));
      return;
    }
    case 'remove': {
      const account = named();
      deps.print(await run((admin) => removeAccount(admin, account, CLI_ACTOR)));
      return;
    }
    default:
      throw deps.usageError(action ? `unknown accounts command: ${action}` : 'accounts needs a command');
  }
}
