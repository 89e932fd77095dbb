// What the operator reads at start about confinement: who runs execute as,
// and which tokens hold grants the config no longer allows.
import { isRiskyTool, type RiskyTool } from '@clawdforge/shared';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { parsePolicy } from '../tokens/tokens.repository.js';
import type { CliIdentity } from './cli-identity.js';

export interface LogLine {
  level: 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

export function describeRunUser(identity: CliIdentity, config: Config): LogLine {
  const { decision } = identity;
  if (decision.kind === 'switch') {
    const { name, uid, gid } = decision.user;
    return { level: 'info', fields: { run_user: name, uid, gid, runs_dir: identity.runsDir }, message: 'runs execute as their own user' };
  }
  switch (decision.reason) {
    case 'not_root':
      return { level: 'info', fields: { runs_dir: identity.runsDir }, message: "runs execute as the service's own user (it is not root, so it cannot switch)" };
    case 'root_by_choice':
      return { level: 'warn', fields: {}, message: 'runs execute as root (RUN_AS_USER=root): a granted Bash can read everything on this machine' };
    case 'default_user_missing':
      return {
        level: 'warn',
        fields: { run_user: config.runAsUser.spec },
        message: `runs execute as root: the run user does not exist; create it (useradd --system --user-group --create-home ${config.runAsUser.spec}) and restart`,
      };
  }
}

/** Names of tokens whose policy grants a risky tool the config does not enable. */
export async function tokensWithDisabledTools(db: Db, enabled: readonly RiskyTool[]): Promise<string[]> {
  const rows = await db.selectFrom('tokens').select(['name', 'policy']).execute();
  return rows
    .filter((row) => parsePolicy(row.policy).tools.some((tool) => isRiskyTool(tool) && !enabled.includes(tool)))
    .map((row) => row.name);
}
