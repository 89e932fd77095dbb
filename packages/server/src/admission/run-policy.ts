// What a token's policy allows a run: checked before the queue, so a refused
// run never takes a slot or starts a process.
import { DEFAULT_TIMEOUT_SECS, isRiskyTool, type GrantableTool, type RiskyTool, type TokenPolicy } from '@clawdforge/shared';
import { ApiError } from '../errors.js';

export interface RunRequestOptions {
  model?: string | undefined;
  fallback_model?: string | undefined;
  tools?: GrantableTool[] | undefined;
  timeout_secs?: number | undefined;
}

export interface PolicyDecision {
  model: string;
  fallbackModel: string | undefined;
  tools: GrantableTool[];
  timeoutSecs: number;
}

const listed = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));

/** What the server's own config decides about every run. */
export interface ServerRules {
  defaultModel: string;
  /** Risky tools the operator enabled (ALLOW_RISKY_TOOLS): a token granted one before it was switched off cannot use it. */
  allowedRiskyTools: readonly RiskyTool[];
}

export function applyPolicy(app: string, policy: TokenPolicy, input: RunRequestOptions, server: ServerRules): PolicyDecision {
  const serverDefaultModel = server.defaultModel;
  const allowedModels = policy.models;
  // An app limited to some models, not asking for one, gets the server default if allowed, else its first.
  const model = input.model ?? (allowedModels && !allowedModels.includes(serverDefaultModel) ? allowedModels[0]! : serverDefaultModel);
  for (const [field, asked] of [['model', model], ['fallback_model', input.fallback_model]] as const) {
    if (asked !== undefined && allowedModels && !allowedModels.includes(asked)) {
      throw new ApiError('model_not_allowed', `${field} "${asked}" is not allowed for app "${app}"; allowed: ${listed(allowedModels)}.`);
    }
  }

  const tools = [...new Set(input.tools ?? [])];
  const switchedOff = tools.filter((tool) => isRiskyTool(tool) && !server.allowedRiskyTools.includes(tool));
  if (switchedOff.length > 0) {
    throw new ApiError('tool_not_allowed', `${switchedOff.join(', ')} ${switchedOff.length === 1 ? 'is' : 'are'} switched off on this server (the operator's ALLOW_RISKY_TOOLS).`);
  }
  const refused = tools.filter((tool) => !policy.tools.includes(tool));
  if (refused.length > 0) {
    throw new ApiError('tool_not_allowed', `Tools not allowed for app "${app}": ${refused.join(', ')}; allowed: ${listed(policy.tools)}.`);
  }

  const ceiling = policy.max_timeout_secs;
  if (ceiling !== null && input.timeout_secs !== undefined && input.timeout_secs > ceiling) {
    throw new ApiError('timeout_not_allowed', `timeout_secs ${input.timeout_secs} is above app "${app}"'s limit of ${ceiling}.`);
  }
  const timeoutSecs = input.timeout_secs ?? Math.min(DEFAULT_TIMEOUT_SECS, ceiling ?? DEFAULT_TIMEOUT_SECS);
  return { model, fallbackModel: input.fallback_model, tools, timeoutSecs };
}
