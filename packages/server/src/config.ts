// The service's configuration: parsed once from the environment (and ./.env),
// validated, frozen. Nothing else in the server reads process.env.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { MODEL_PATTERN, parseCidr, type Cidr } from '@clawdforge/shared';
import { z } from 'zod';

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly adminToken: string | null;
  readonly allowCidrs: readonly Cidr[];
  /** When set, GET /metrics needs it as a bearer token. */
  readonly metricsToken: string | null;
  readonly dataDir: string;
  readonly runsDir: string;
  readonly claudeBin: string;
  readonly defaultModel: string;
  readonly maxConcurrentRuns: number;
  readonly maxQueuedRuns: number;
  readonly maxUploadBytes: number;
  readonly claudeMaxRetries: number;
  readonly auditPrompts: boolean;
  readonly auditRetentionDays: number;
  readonly shutdownGraceSecs: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The environment every `claude` child inherits (the service's own secrets removed). */
  readonly childEnv: Readonly<Record<string, string>>;
  /** Where the CLI keeps its config and per-project state. */
  readonly claudeConfigDir: string;
}

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

const cidrList = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const cidrs: Cidr[] = [];
    for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
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
  CLAUDE_MAX_RETRIES: intVar(0, 15, 2),
  AUDIT_PROMPTS: optionalText('on')
    .transform((text) => text.toLowerCase())
    .refine((text) => ['on', 'off', 'true', 'false', '1', '0'].includes(text), {
      error: (issue) => `${quoted(issue.input)} is not on or off`,
    })
    .transform((text) => ['on', 'true', '1'].includes(text)),
  AUDIT_RETENTION_DAYS: intVar(1, 36_500, 90),
  SHUTDOWN_GRACE_SECS: intVar(0, 3600, 30),
  LOG_LEVEL: optionalText('info').pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: (issue) => `${quoted(issue.input)} is not one of fatal, error, warn, info, debug, trace, silent`,
    }),
  ),
});

// Variables that belong to the service and must not reach the model's process.
const SERVICE_SECRETS = ['ADMIN_BOOTSTRAP_TOKEN', 'METRICS_TOKEN'];
// Set when the service itself was started from inside Claude Code; the child
// would think it is nested and change behavior.
const NESTING_MARKERS = ['CLAUDECODE'];

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
  const childEnv: Record<string, string> = { ...env };
  for (const key of [...SERVICE_SECRETS, ...NESTING_MARKERS]) delete childEnv[key];

  return Object.freeze({
    host: vars.HOST,
    port: vars.PORT,
    adminToken: vars.ADMIN_BOOTSTRAP_TOKEN,
    allowCidrs: Object.freeze(vars.ALLOW_CIDRS),
    metricsToken: vars.METRICS_TOKEN,
    dataDir,
    runsDir: vars.RUNS_DIR ? absolute(vars.RUNS_DIR) : join(dataDir, 'runs'),
    claudeBin: vars.CLAUDE_BIN,
    defaultModel: vars.DEFAULT_MODEL,
    maxConcurrentRuns: vars.MAX_CONCURRENT_RUNS,
    maxQueuedRuns: vars.MAX_QUEUED_RUNS,
    maxUploadBytes: vars.MAX_UPLOAD_BYTES,
    claudeMaxRetries: vars.CLAUDE_MAX_RETRIES,
    auditPrompts: vars.AUDIT_PROMPTS,
    auditRetentionDays: vars.AUDIT_RETENTION_DAYS,
    shutdownGraceSecs: vars.SHUTDOWN_GRACE_SECS,
    logLevel: vars.LOG_LEVEL,
    childEnv: Object.freeze({
      ...childEnv,
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_CODE_MAX_RETRIES: String(vars.CLAUDE_MAX_RETRIES),
    }),
    claudeConfigDir: env.CLAUDE_CONFIG_DIR ? absolute(env.CLAUDE_CONFIG_DIR) : join(home, '.claude'),
  });
}

/** Loads the config for this process: environment plus ./.env. */
export function loadConfig(): Config {
  return parseConfig(readEnvironment(process.env, process.cwd()), process.cwd());
}
