// What a run's CLI process gets to use an account: its login's directory or
// its secret, and none of the others'. The service's own credentials
// (ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN in its environment) would win
// over an account's login in the CLI, so every credential variable is dropped
// first and only the account's own is set.
import { existsSync, readFileSync } from 'node:fs';
import type { AccountDefinition } from '@clawdforge/shared';
import { CLAUDE_ENV_NAMES, CLAUDE_ENV_PREFIXES } from '../confinement/claude-environment.js';
import type { EnvOverlay } from '../process/env-overlay.js';
import type { AccountRow } from './accounts.repository.js';

/** The variables through which the CLI takes credentials. */
export const CREDENTIAL_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

/** Why `name` cannot hold an account's secret (it is dropped from every run's environment), or null. */
export function secretVariableProblem(name: string, serviceVariables: Readonly<Record<string, unknown>>): string | null {
  if (Object.hasOwn(serviceVariables, name)) return `${name} is one of the service's own settings`;
  if ((CLAUDE_ENV_NAMES as readonly string[]).includes(name)) return `${name} is a variable every run needs (it would be dropped from their environment)`;
  // Those reach every CLI process the service starts (probes, the seal's helpers, runs with no account): name it otherwise.
  if (CLAUDE_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) return `${name} would reach every run's environment (its prefix is passed to the CLI): use a name without ${CLAUDE_ENV_PREFIXES.join(', ')}`;
  return null;
}

/**
 * Why a definition cannot work beside the accounts there are already: its
 * secret variable, its secret file, or a login another account is. The
 * same checks for CLAUDE_ACCOUNTS_FILE (at start) and `accounts add`.
 */
export function definitionProblem(
  definition: AccountDefinition,
  others: ReadonlyArray<Pick<AccountDefinition, 'name' | 'type'> & { config_dir?: string | null | undefined }>,
  serviceVariables: Readonly<Record<string, unknown>>,
): string | null {
  const variableProblem = definition.secret_env && secretVariableProblem(definition.secret_env, serviceVariables);
  if (variableProblem) return `secret_env: ${variableProblem}`;
  if (definition.secret_file && !existsSync(definition.secret_file)) return `secret_file: ${definition.secret_file} does not exist`;
  const sharedLogin = definition.type === 'config_dir' && others.find((other) => other.type === 'config_dir' && other.config_dir === definition.config_dir);
  if (sharedLogin) return `config_dir: ${JSON.stringify(definition.name)} and ${JSON.stringify(sharedLogin.name)} are the same login (${definition.config_dir}): their caps would not keep two refreshes apart`;
  return null;
}

/** The largest secret file read: a token or key is a line, not a file to stream. */
const MAX_SECRET_BYTES = 16 * 1024;

export class SecretError extends Error {}

/** The account's secret, read now (a rotated file is picked up by the next run). Throws SecretError saying what is wrong, never the value. */
export function readSecret(account: AccountRow, serviceEnv: Readonly<Record<string, string>>): string | null {
  if (account.type === 'config_dir') return null;
  let value: string | undefined;
  if (account.secret_env) {
    value = serviceEnv[account.secret_env];
    if (value === undefined) throw new SecretError(`the variable ${account.secret_env} is not set in the service's environment`);
  } else if (account.secret_file) {
    let text: Buffer;
    try {
      text = readFileSync(account.secret_file);
    } catch (error) {
      throw new SecretError(`its secret file ${account.secret_file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (text.length > MAX_SECRET_BYTES) throw new SecretError(`its secret file ${account.secret_file} is larger than a secret`);
    value = text.toString('utf8');
  }
  const secret = value?.trim();
  if (!secret || /[\r\n\0]/.test(secret)) throw new SecretError(`its secret (${account.secret_env ?? account.secret_file}) is empty or more than one line`);
  return secret;
}

/** The overlay for a run on `account`: every credential variable (and every account's secret variable) dropped, then the account's own set. */
export function accountOverlay(account: AccountRow, secret: string | null, secretVariables: Iterable<string>): EnvOverlay {
  const set: Record<string, string> = {};
  if (account.config_dir) set.CLAUDE_CONFIG_DIR = account.config_dir;
  if (account.type === 'oauth_token') set.CLAUDE_CODE_OAUTH_TOKEN = secret!;
  if (account.type === 'api_key') set.ANTHROPIC_API_KEY = secret!;
  return { set, unset: [...new Set([...CREDENTIAL_VARIABLES, ...secretVariables])] };
}
