// The service's configuration: parsed once from the environment (and ./.env),
// validated, frozen. Nothing else in the server reads process.env.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { accountDefinitionSchema, MODEL_PATTERN, parseCidr, RISKY_TOOLS, type AccountDefinition, type Cidr, type RiskyTool } from '@clawdforge/shared';
import { claudeEnvironment } from './confinement/claude-environment.js';
import { definitionProblem } from './accounts/account-environment.js';
import { z } from 'zod';

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly adminToken: string | null;
  readonly allowCidrs: readonly Cidr[];
  /** Where else (besides ALLOW_CIDRS and loopback) webhooks may be delivered. */
  readonly webhookAllowCidrs: readonly Cidr[];
  /** Seconds before each delivery attempt (the first is 0: at once); one attempt per entry. */
  readonly webhookRetryScheduleSecs: readonly number[];
  /** When set, GET /metrics needs it as a bearer token. */
  readonly metricsToken: string | null;
  readonly dataDir: string;
  /** RUNS_DIR when set; otherwise decided at start, once it is known which user runs execute as. */
  readonly runsDir: string | null;
  readonly claudeBin: string;
  readonly defaultModel: string;
  readonly maxConcurrentRuns: number;
  readonly maxQueuedRuns: number;
  readonly maxUploadBytes: number;
  /** What all apps' uploads together may hold on disk. */
  readonly maxStorageBytes: number;
  /** What all requests together may hold in buffered JSON bodies at once; past it, 503 server_busy. */
  readonly maxBufferedBodyBytes: number;
  /** Open connections at once; more are refused by the kernel-level accept path. */
  readonly maxConnections: number;
  readonly claudeMaxRetries: number;
  readonly auditPrompts: boolean;
  readonly auditRetentionDays: number;
  readonly shutdownGraceSecs: number;
  /** A run whose CLI prints nothing for this long is stopped as claude_stalled. */
  readonly runIdleTimeoutSecs: number;
  /** How long a finished async run (its status, result and events) is kept. */
  readonly asyncRunRetentionHours: number;
  /** Most live sessions one app may hold (each keeps a directory and a transcript). */
  readonly maxSessionsPerApp: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The risky tools (Bash, WebFetch, WebSearch) the operator lets admins grant; none by default. */
  readonly allowedRiskyTools: readonly RiskyTool[];
  /** Who runs execute as when the service is root (RUN_AS_USER): a user name or `uid[:gid]`. */
  readonly runAsUser: { readonly spec: string; readonly explicit: boolean };
  /** An operator's settings file for the CLI (`--settings`): the user's own settings files are ignored in runs. */
  readonly claudeSettingsFile: string | null;
  /**
   * The environment a `claude` child gets, before the run user's HOME/USER are
   * set: an allowlist of the service's environment (see confinement/claude-environment.ts).
   */
  readonly claudeEnv: Readonly<Record<string, string>>;
  /** CLAUDE_CONFIG_DIR when set; otherwise `~/.claude` of whoever runs the CLI. */
  readonly claudeConfigDirOverride: string | null;
  /** The service's own HOME, for the CLI's config dir when runs execute as the service's user. */
  readonly home: string;
  /** The `.env` file that was read, when there was one (its mode is checked at start). */
  readonly envFile: string | null;
  /** The Claude accounts CLAUDE_ACCOUNTS_FILE declares (none: the CLI's default login, unless the operator CLI added some). */
  readonly declaredAccounts: readonly AccountDefinition[];
  /** How long an account cools after a rate limit that gave no reset time (ACCOUNT_COOLDOWN_SECS). */
  readonly accountCooldownSecs: number;
  /**
   * The service's environment, less its own settings: where an account's
   * `secret_env` is looked up. Never given to a run as it is.
   */
  readonly accountSecretEnv: Readonly<Record<string, string>>;
}

/** The default run user: the image creates it (Dockerfile). */
export const DEFAULT_RUN_USER = 'clawdforge-run';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const quoted = (input: unknown) => JSON.stringify(input);

function intVar(min: number, max: number, fallback: number) {
  return z
    .string()
    .trim()
    .default(String(fallback))
    .refine((text) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max, {
      error: (issue) => `${quoted(issue.input)} is not an integer from ${min} to ${max}`,
    })
    .transform(Number);
}

function optionalText(fallback: string) {
  return z
    .string()
    .trim()
    .transform((text) => text || fallback)
    .default(fallback);
}

/** 1 to 20 comma-separated whole seconds, each at most a day. */
function secondsList(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const secs = commaList(text || fallback).map(Number);
      const valid = secs.length > 0 && secs.length <= 20 && secs.every((n) => Number.isInteger(n) && n >= 0 && n <= 86_400);
      if (!valid) ctx.addIssue({ code: 'custom', message: `${quoted(text)} is not 1 to 20 comma-separated whole seconds up to 86400` });
      return secs;
    });
}

const cidrList = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const cidrs: Cidr[] = [];
    for (const item of commaList(text)) {
      const cidr = parseCidr(item);
      if (cidr) cidrs.push(cidr);
      else ctx.addIssue({ code: 'custom', message: `${quoted(item)} is not a CIDR` });
    }
    return cidrs;
  });

const envSchema = z.object({
  HOST: optionalText('127.0.0.1'),
  PORT: intVar(0, 65535, 8800),
  ADMIN_BOOTSTRAP_TOKEN: z
    .string()
    .trim()
    .optional()
    .refine((text) => !text || text.length >= 16, {
      error: 'is too short: use at least 16 random characters (for example: openssl rand -hex 32)',
    })
    .transform((text) => text || null),
  ALLOW_CIDRS: cidrList,
  WEBHOOK_ALLOW_CIDRS: cidrList,
  // Standard Webhooks' schedule: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
  WEBHOOK_RETRY_SCHEDULE_SECS: secondsList('0,5,300,1800,7200,18000,36000,36000'),
  METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .refine((text) => !text || text.length >= 16, { error: 'is too short: use at least 16 random characters' })
    .transform((text) => text || null),
  DATA_DIR: optionalText('./data'),
  RUNS_DIR: z.string().trim().optional(),
  CLAUDE_BIN: optionalText('claude'),
  DEFAULT_MODEL: optionalText('sonnet').refine((text) => MODEL_PATTERN.test(text), {
    error: (issue) => `${quoted(issue.input)} is not a model alias or id`,
  }),
  MAX_CONCURRENT_RUNS: intVar(1, 256, 4),
  MAX_QUEUED_RUNS: intVar(0, 100_000, 64),
  MAX_UPLOAD_BYTES: intVar(1, 2 ** 40, 26_214_400),
  MAX_STORAGE_BYTES: intVar(1024 * 1024, 2 ** 50, 4 * 1024 ** 3),
  MAX_BUFFERED_BODY_BYTES: intVar(4 * 1024 * 1024, 2 ** 34, 64 * 1024 * 1024),
  MAX_CONNECTIONS: intVar(1, 1_000_000, 512),
  CLAUDE_MAX_RETRIES: intVar(0, 15, 2),
  AUDIT_PROMPTS: optionalText('on')
    .transform((text) => text.toLowerCase())
    .refine((text) => ['on', 'off', 'true', 'false', '1', '0'].includes(text), {
      error: (issue) => `${quoted(issue.input)} is not on or off`,
    })
    .transform((text) => ['on', 'true', '1'].includes(text)),
  AUDIT_RETENTION_DAYS: intVar(1, 36_500, 90),
  SHUTDOWN_GRACE_SECS: intVar(0, 3600, 30),
  RUN_IDLE_TIMEOUT_SECS: intVar(1, 86_400, 600),
  ASYNC_RUN_RETENTION_HOURS: intVar(1, 8_760, 24),
  MAX_SESSIONS_PER_APP: intVar(1, 10_000, 50),
  CLAUDE_ACCOUNTS_FILE: z.string().trim().optional(),
  ACCOUNT_COOLDOWN_SECS: intVar(1, 86_400, 60),
  LOG_LEVEL: optionalText('info').pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: (issue) => `${quoted(issue.input)} is not one of fatal, error, warn, info, debug, trace, silent`,
    }),
  ),
  ALLOW_RISKY_TOOLS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const tools = new Set<RiskyTool>();
      for (const item of commaList(text)) {
        const tool = RISKY_TOOLS.find((candidate) => candidate.toLowerCase() === item.toLowerCase());
        if (tool) tools.add(tool);
        else ctx.addIssue({ code: 'custom', message: `${quoted(item)} is not one of ${RISKY_TOOLS.join(', ')} (the other tools need no switch)` });
      }
      return [...tools];
    }),
  RUN_AS_USER: z
    .string()
    .trim()
    .optional()
    .refine((text) => !text || /^(?:[a-z_][a-z0-9_.-]*\$?|\d+(?::\d+)?)$/i.test(text), {
      error: (issue) => `${quoted(issue.input)} is not a user name or uid[:gid]`,
    }),
  CLAUDE_SETTINGS_FILE: z.string().trim().optional(),
  CLAUDE_ENV_PASSTHROUGH: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const names = commaList(text);
      for (const name of names) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ctx.addIssue({ code: 'custom', message: `${quoted(name)} is not a variable name` });
        else if (Object.hasOwn(SERVICE_VARIABLES, name)) ctx.addIssue({ code: 'custom', message: `${quoted(name)} is the service's own setting and never reaches the CLI` });
      }
      return names;
    }),
});

/** Every variable the service reads for itself (the schema's keys): none of them reaches a run's process. */
export const SERVICE_VARIABLES: Readonly<Record<string, unknown>> = envSchema.shape;

function commaList(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter(Boolean);
}

/** The operator's settings file must exist and hold a JSON object: the CLI would ignore a broken one silently. */
function checkSettingsFile(path: string): string | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? null : 'does not hold a JSON object';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ? 'cannot be read' : 'is not JSON';
  }
}

/** The accounts of CLAUDE_ACCOUNTS_FILE: a JSON array of definitions, each checked now (names unique, secrets there). */
function readAccountsFile(path: string, env: Record<string, string>): AccountDefinition[] {
  const problem = (message: string) => new ConfigError(`invalid configuration:\n  CLAUDE_ACCOUNTS_FILE: ${quoted(path)} ${message}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw problem((error as NodeJS.ErrnoException).code ? 'cannot be read' : 'is not JSON');
  }
  if (!Array.isArray(parsed)) throw problem('must hold a JSON array of accounts');
  const accounts: AccountDefinition[] = [];
  for (const [index, item] of parsed.entries()) {
    const account = accountDefinitionSchema.safeParse(item);
    if (!account.success) throw problem(`[${index}]: ${account.error.issues.map((issue) => `${issue.path.join('.') || 'account'}: ${issue.message}`).join('; ')}`);
    const { name, secret_env: secretEnv } = account.data;
    if (accounts.some((other) => other.name === name)) throw problem(`[${index}]: the name ${quoted(name)} is used twice`);
    if (secretEnv && !env[secretEnv]) throw problem(`[${index}]: ${secretEnv} (its secret_env) is not set`);
    const unworkable = definitionProblem(account.data, accounts, SERVICE_VARIABLES);
    if (unworkable) throw problem(`[${index}]: ${unworkable}`);
    accounts.push(account.data);
  }
  return accounts;
}

/** Reads `.env` from `cwd` when present; the process environment wins over it. */
export function readEnvironment(processEnv: NodeJS.ProcessEnv, cwd: string): Record<string, string> {
  const envFile = join(cwd, '.env');
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...fromFile, ...processEnv })) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Validates the environment into a frozen Config; throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string>, cwd: string): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const vars = parsed.data;
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const dataDir = absolute(vars.DATA_DIR);
  const home = env.HOME || homedir();
  const settingsFile = vars.CLAUDE_SETTINGS_FILE ? absolute(vars.CLAUDE_SETTINGS_FILE) : null;
  const settingsProblem = settingsFile && checkSettingsFile(settingsFile);
  if (settingsProblem) throw new ConfigError(`invalid configuration:\n  CLAUDE_SETTINGS_FILE: ${quoted(settingsFile)} ${settingsProblem}`);
  const envFile = join(cwd, '.env');
  const declaredAccounts = vars.CLAUDE_ACCOUNTS_FILE ? readAccountsFile(absolute(vars.CLAUDE_ACCOUNTS_FILE), env) : [];
  const accountSecretEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !Object.hasOwn(SERVICE_VARIABLES, name)));

  return Object.freeze({
    host: vars.HOST,
    port: vars.PORT,
    adminToken: vars.ADMIN_BOOTSTRAP_TOKEN,
    allowCidrs: Object.freeze(vars.ALLOW_CIDRS),
    webhookAllowCidrs: Object.freeze(vars.WEBHOOK_ALLOW_CIDRS),
    webhookRetryScheduleSecs: Object.freeze(vars.WEBHOOK_RETRY_SCHEDULE_SECS),
    metricsToken: vars.METRICS_TOKEN,
    dataDir,
    runsDir: vars.RUNS_DIR ? absolute(vars.RUNS_DIR) : null,
    claudeBin: vars.CLAUDE_BIN,
    defaultModel: vars.DEFAULT_MODEL,
    maxConcurrentRuns: vars.MAX_CONCURRENT_RUNS,
    maxQueuedRuns: vars.MAX_QUEUED_RUNS,
    maxUploadBytes: vars.MAX_UPLOAD_BYTES,
    maxStorageBytes: vars.MAX_STORAGE_BYTES,
    maxBufferedBodyBytes: vars.MAX_BUFFERED_BODY_BYTES,
    maxConnections: vars.MAX_CONNECTIONS,
    claudeMaxRetries: vars.CLAUDE_MAX_RETRIES,
    auditPrompts: vars.AUDIT_PROMPTS,
    auditRetentionDays: vars.AUDIT_RETENTION_DAYS,
    shutdownGraceSecs: vars.SHUTDOWN_GRACE_SECS,
    runIdleTimeoutSecs: vars.RUN_IDLE_TIMEOUT_SECS,
    asyncRunRetentionHours: vars.ASYNC_RUN_RETENTION_HOURS,
    maxSessionsPerApp: vars.MAX_SESSIONS_PER_APP,
    logLevel: vars.LOG_LEVEL,
    allowedRiskyTools: Object.freeze(vars.ALLOW_RISKY_TOOLS),
    runAsUser: Object.freeze({ spec: vars.RUN_AS_USER || DEFAULT_RUN_USER, explicit: Boolean(vars.RUN_AS_USER) }),
    claudeSettingsFile: settingsFile,
    claudeEnv: Object.freeze(claudeEnvironment(env, { passthrough: vars.CLAUDE_ENV_PASSTHROUGH, maxRetries: vars.CLAUDE_MAX_RETRIES })),
    claudeConfigDirOverride: env.CLAUDE_CONFIG_DIR ? absolute(env.CLAUDE_CONFIG_DIR) : null,
    home,
    envFile: existsSync(envFile) ? envFile : null,
    declaredAccounts: Object.freeze(declaredAccounts),
    accountCooldownSecs: vars.ACCOUNT_COOLDOWN_SECS,
    accountSecretEnv: Object.freeze(accountSecretEnv),
  });
}

/** Loads the config for this process: environment plus ./.env. */
export function loadConfig(): Config {
  return parseConfig(readEnvironment(process.env, process.cwd()), process.cwd());
}
