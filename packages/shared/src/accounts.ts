import { z } from 'zod';

/**
 * A Claude login the service can run the CLI with. With none configured the
 * service uses the CLI's default login, as it always did.
 * - `config_dir`: an interactive login (`claude /login`) kept in that directory;
 * - `oauth_token`: a long-lived token from `claude setup-token` (CLAUDE_CODE_OAUTH_TOKEN);
 * - `api_key`: an Anthropic API key (ANTHROPIC_API_KEY).
 */
export const ACCOUNT_TYPES = ['config_dir', 'oauth_token', 'api_key'] as const;
export const accountTypeSchema = z.enum(ACCOUNT_TYPES);
export type AccountType = z.infer<typeof accountTypeSchema>;

export const ACCOUNT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const accountNameSchema = z
  .string()
  .regex(ACCOUNT_NAME_PATTERN, 'must be 1-64 characters of a-z, 0-9, "_" or "-", starting with a letter or digit');

/** Concurrent runs an interactive login takes by default: one, so no two CLIs ever refresh its OAuth token at once. */
export const DEFAULT_CONFIG_DIR_CONCURRENCY = 1;

/**
 * How an account is declared (CLAUDE_ACCOUNTS_FILE, `clawdforge accounts add`).
 * Secrets are references, never values: `secret_env` names a variable of the
 * service's environment, `secret_file` a file the service reads at each run.
 */
export const accountDefinitionSchema = z
  .strictObject({
    name: accountNameSchema,
    type: accountTypeSchema,
    /** The login's directory (config_dir); for the others, where the CLI keeps its state (the default login's directory when unset). */
    config_dir: z.string().min(1).startsWith('/', 'must be an absolute path').optional(),
    secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name').optional(),
    secret_file: z.string().min(1).startsWith('/', 'must be an absolute path').optional(),
    /** Higher first; equal priorities go by name. */
    priority: z.number().int().min(-1000).max(1000).default(0),
    /** Runs at once on this account; unset: one for config_dir, no cap of its own (MAX_CONCURRENT_RUNS) for the others. */
    max_concurrent: z.number().int().min(1).max(256).optional(),
  })
  .superRefine((account, ctx) => {
    const secrets = Number(account.secret_env !== undefined) + Number(account.secret_file !== undefined);
    if (account.type === 'config_dir') {
      if (!account.config_dir) ctx.addIssue({ code: 'custom', path: ['config_dir'], message: 'is required for a config_dir account' });
      if (secrets > 0) ctx.addIssue({ code: 'custom', path: ['secret_env'], message: 'a config_dir account keeps its login in its directory: it takes no secret' });
    } else if (secrets !== 1) {
      ctx.addIssue({ code: 'custom', path: ['secret_env'], message: `a ${account.type} account needs exactly one of secret_env or secret_file` });
    }
  });
export type AccountDefinition = z.output<typeof accountDefinitionSchema>;

/**
 * - `ready`: runs may go to it;
 * - `cooling`: it hit a rate or usage limit, until `cooling_until`;
 * - `logged_out`: its login was refused (401); enabling it again puts it back;
 * - `disabled`: an operator took it out;
 * - `misconfigured`: its secret cannot be read.
 */
export const accountStateSchema = z.enum(['ready', 'cooling', 'logged_out', 'disabled', 'misconfigured']);
export type AccountState = z.infer<typeof accountStateSchema>;

/** One of the subscription's windows as the API last reported it (OAuth logins only). */
export const limitWindowSchema = z.object({
  /** 0 to 1 (past 1 when over). */
  utilization: z.number().nullable(),
  resets_at: z.iso.datetime().nullable(),
}).meta({ id: 'LimitWindow' });

/** The last `rate_limit_event` the CLI reported for the account. */
export const lastRateLimitSchema = z.object({
  /** allowed, allowed_warning or rejected. */
  status: z.string(),
  /** The limit the status is about, e.g. five_hour. */
  limit_type: z.string().nullable(),
  resets_at: z.iso.datetime().nullable(),
  five_hour: limitWindowSchema.nullable(),
  seven_day: limitWindowSchema.nullable(),
  reported_at: z.iso.datetime(),
}).meta({ id: 'LastRateLimit' });
export type LastRateLimit = z.infer<typeof lastRateLimitSchema>;

/** What /readyz tells about an account: no paths, no details. */
export const accountReadinessSchema = z
  .object({
    name: z.string(),
    state: accountStateSchema,
    /** When cooling: the time it is used again. */
    until: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AccountReadiness' });

/** GET /admin/accounts. */
export const accountSchema = z
  .object({
    name: z.string(),
    type: accountTypeSchema,
    /** Where it was declared: CLAUDE_ACCOUNTS_FILE (`config`) or `clawdforge accounts add` (`cli`). */
    source: z.enum(['config', 'cli']),
    priority: z.number().int(),
    /** Its own cap; null: only MAX_CONCURRENT_RUNS. */
    max_concurrent: z.number().int().nullable(),
    state: accountStateSchema,
    /** Why it is cooling, logged out or misconfigured. */
    reason: z.string().nullable(),
    cooling_until: z.iso.datetime().nullable(),
    /** Runs on it now. */
    running: z.number().int(),
    last_rate_limit: lastRateLimitSchema.nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

export const accountListSchema = z.object({ accounts: z.array(accountSchema) }).meta({ id: 'AccountList' });
export const accountNameInputSchema = z.object({ name: accountNameSchema });
export type AccountReadiness = z.infer<typeof accountReadinessSchema>;
