// Everything about who runs the CLI, decided once at start: the user (see
// run-user.ts), its environment, where its login lives and where run
// directories go.
import { createHash } from 'node:crypto';
import { join, relative, isAbsolute } from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { decideRunUser, RunUserError, type PasswdEntry, type RunUser, type RunUserDecision } from './run-user.js';

export interface CliIdentity {
  decision: RunUserDecision;
  /** Set when runs execute as another user than the service. */
  user: RunUser | null;
  /** The complete environment of every CLI process (runs and health probes alike). */
  env: Readonly<Record<string, string>>;
  /** Where the CLI keeps its login and per-directory state, as seen by the user it runs as. */
  claudeConfigDir: string;
  /** Where run directories are made. */
  runsDir: string;
}

/** Where run directories go by default when runs execute as a run user (the service is root then). */
export const RUN_USER_RUNS_ROOT = '/var/lib/clawdforge';

const isInside = (parent: string, child: string) => {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
};

/** Throws ConfigError when the settings cannot work together (the service then exits 2). */
export function resolveCliIdentity(config: Config, options: { serviceUid: number; lookup?: (key: string) => PasswdEntry | null }): CliIdentity {
  const problem = (message: string) => new ConfigError(`invalid configuration:\n  ${message}`);
  let decision: RunUserDecision;
  try {
    decision = decideRunUser({
      ...config.runAsUser,
      serviceUid: options.serviceUid,
      claudeConfigDir: config.claudeConfigDirOverride,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
  } catch (error) {
    if (error instanceof RunUserError) throw problem(error.message);
    throw error;
  }
  const user = decision.kind === 'switch' ? decision.user : null;

  // A shell run as root reads everything; that takes a deliberate RUN_AS_USER=root.
  if (decision.kind === 'self' && decision.reason === 'default_user_missing' && config.allowedRiskyTools.includes('Bash')) {
    throw problem(
      `ALLOW_RISKY_TOOLS: Bash would run as root, because the run user ${JSON.stringify(config.runAsUser.spec)} does not exist; ` +
        `create it (useradd --system --user-group --create-home ${config.runAsUser.spec}), or set RUN_AS_USER=root to accept that`,
    );
  }

  // DATA_DIR is the service's alone (0700): a run user could not even reach a RUNS_DIR inside it.
  if (user && config.runsDir && isInside(config.dataDir, config.runsDir)) {
    throw problem(`RUNS_DIR: ${JSON.stringify(config.runsDir)} is inside DATA_DIR, which runs executing as ${user.name} cannot enter; put it elsewhere or leave it unset`);
  }
  // A run user's default is root's own (not /tmp, where anyone could plant a name first), one per DATA_DIR.
  const runsDir =
    config.runsDir ??
    (user ? join(RUN_USER_RUNS_ROOT, `runs-${createHash('sha256').update(config.dataDir).digest('hex').slice(0, 12)}`) : join(config.dataDir, 'runs'));

  const home = user?.home ?? config.home;
  const env: Record<string, string> = { ...config.claudeEnv };
  if (user) Object.assign(env, { HOME: user.home, USER: user.name, LOGNAME: user.name });
  return {
    decision,
    user,
    env: Object.freeze(env),
    claudeConfigDir: config.claudeConfigDirOverride ?? join(home, '.claude'),
    runsDir,
  };
}
