// What a token's policy allows a run: checked before the queue, so a refused
// run never takes a slot or starts a process.
import { DEFAULT_TIMEOUT_SECS, type GrantableTool, type TokenPolicy } from '@clawdforge/shared';
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

export function applyPolicy(app: string, policy: TokenPolicy, input: RunRequestOptions, serverDefaultModel: string): PolicyDecision {
  const allowedModels = policy.models;
  // An app limited to some models, not asking for one, gets the server default if allowed, else its first.
  const model = input.model ?? (allowedModels && !allowedModels.includes(serverDefaultModel) ? allowedModels[0]! : serverDefaultModel);
  for (const [field, asked] of [['model', model], ['fallback_model', input.fallback_model]] as const) {
    if (asked !== undefined && allowedModels && !allowedModels.includes(asked)) {
      throw new ApiError('model_not_allowed', `${field} "${asked}" is not allowed for app "${app}"; allowed: ${listed(allowedModels)}.`);
    }
  }

  const tools = [...new Set(input.tools ?? [])];
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
