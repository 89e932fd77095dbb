// Which tools an admin may put in a token's policy. Bash, WebFetch and
// WebSearch reach past the run's own directory (a shell on the machine, the
// internet): the operator enables them in the service's config, and no admin
// API call can grant one that is not enabled.
import { isRiskyTool, type GrantableTool, type RiskyTool } from '@clawdforge/shared';
import { ApiError } from '../errors.js';

/** Throws 400 invalid_request naming the setting when `tools` holds a risky tool the config does not enable. */
export function checkGrantableTools(tools: readonly GrantableTool[] | undefined, enabled: readonly RiskyTool[]): void {
  const switchedOff = (tools ?? []).filter((tool) => isRiskyTool(tool) && !enabled.includes(tool));
  if (switchedOff.length === 0) return;
  const setting = [...new Set([...enabled, ...switchedOff])].join(',');
  const them = switchedOff.length === 1 ? 'it' : 'them';
  throw new ApiError(
    'invalid_request',
    `tools: ${switchedOff.join(', ')} cannot be granted: the operator has not enabled ${them}. ` +
      `Set ALLOW_RISKY_TOOLS=${setting} in the service's environment and restart it to allow ${them}.`,
  );
}
