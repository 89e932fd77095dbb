// Turns what the CLI did into either a result or one of our error codes. The
// structured fields decide first (is_error, api_error_status, terminal_reason,
// subtype); the known message texts are only a fallback. Nothing else in the
// service interprets CLI output.
import type { RunStatus } from '@clawdforge/shared';
import { ApiError } from '../errors.js';
import type { ClaudeResult } from './claude-stream.js';
import type { RunnerOutcome } from './claude-runner.js';
import { sanitizeCliText } from './sanitize.js';

export type ClassifiedOutcome =
  | { kind: 'ok'; result: ClaudeResult }
  | { kind: 'error'; status: Exclude<RunStatus, 'ok'>; error: ApiError };

const LOGIN_HINT =
  'The Claude CLI is not logged in or its login expired: run `claude /login` in the service container, ' +
  'or set CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`) or ANTHROPIC_API_KEY.';

const NOT_AUTHENTICATED_TEXT = /not logged in|invalid api key|please run \/login|oauth (session|token) (has )?expired|failed to authenticate|authentication_error/i;
const USAGE_LIMIT_TEXT = /usage limit reached|you've hit your limit|rate limit|rate_limit_error|\(429\)/i;
const USAGE_LIMIT_RESET = /usage limit reached\|(\d{9,})/i;
const OVERLOADED_TEXT = /overloaded/i;

function retryAfterFrom(resultText: string, resetsAt: number | undefined, nowMs: number): number | undefined {
  const epoch = Number(USAGE_LIMIT_RESET.exec(resultText)?.[1] ?? resetsAt);
  if (!Number.isFinite(epoch) || epoch <= 0) return undefined;
  return Math.max(1, Math.ceil(epoch - nowMs / 1000));
}

function rateLimited(message: string, retryAfterSecs: number | undefined): ApiError {
  const when = retryAfterSecs === undefined ? '' : ` Retry in about ${retryAfterSecs} s.`;
  return new ApiError('claude_rate_limited', `Claude's rate or usage limit was hit: ${message}.${when}`, {
    ...(retryAfterSecs === undefined ? {} : { retryAfterSecs }),
  });
}

function fromErrorResult(result: ClaudeResult, outcome: RunnerOutcome, nowMs: number): ApiError {
  const text = sanitizeCliText(result.result ?? '', 500);
  const status = result.api_error_status ?? undefined;
  const retryAfter = retryAfterFrom(result.result ?? '', outcome.stream.rateLimitResetsAt, nowMs);

  if (status === 401 || status === 403 || result.api_error_type === 'authentication_error') {
    return new ApiError('claude_not_authenticated', LOGIN_HINT);
  }
  if (status === 429 || result.api_error_type === 'rate_limit_error') return rateLimited(text, retryAfter);
  if (status === 529 || result.api_error_type === 'overloaded_error') {
    return new ApiError('claude_overloaded', 'Anthropic\'s API is overloaded right now; try again in a minute.');
  }
  if (status === undefined || result.terminal_reason !== 'api_error') {
    // No upstream status: fall back to the texts the CLI is known to print.
    if (NOT_AUTHENTICATED_TEXT.test(text)) return new ApiError('claude_not_authenticated', LOGIN_HINT);
    if (USAGE_LIMIT_TEXT.test(text)) return rateLimited(text, retryAfter);
    if (OVERLOADED_TEXT.test(text)) return new ApiError('claude_overloaded', 'Anthropic\'s API is overloaded right now; try again in a minute.');
  }
  const kind = result.subtype && result.subtype !== 'success' ? ` (${result.subtype})` : '';
  return new ApiError('claude_error', `The Claude CLI reported an error${kind}: ${text || 'no details'}`);
}

export const shuttingDownError = () =>
  new ApiError('shutting_down', 'The service is shutting down; this run was stopped. Retry in a moment.', { retryAfterSecs: 5 });

const SCHEMA_FAILURE = new Set(['error_max_structured_output_retries', 'structured_output_retry_exhausted']);

/** Limits the caller set on the run (max_turns, max_budget_usd): the CLI stopped as asked, nothing broke. */
const RUN_LIMITS: Record<string, string> = {
  error_max_turns: 'max_turns',
  max_turns: 'max_turns',
  error_max_budget_usd: 'max_budget_usd',
  budget_exhausted: 'max_budget_usd',
};

function runLimitReached(result: ClaudeResult): ApiError | undefined {
  const limit = RUN_LIMITS[result.subtype ?? ''] ?? RUN_LIMITS[result.terminal_reason ?? ''];
  if (!limit) return undefined;
  const spent = typeof result.total_cost_usd === 'number' ? ` after spending $${result.total_cost_usd.toFixed(4)}` : '';
  return new ApiError('run_limit_reached', `The run stopped at its ${limit}${spent} before finishing; raise ${limit} or simplify the task.`);
}

function schemaNotSatisfied(result: ClaudeResult): ApiError {
  const details = Array.isArray(result.errors) ? sanitizeCliText(result.errors.map(String).join('; '), 500) : '';
  return new ApiError('schema_not_satisfied', `The model's answer never satisfied json_schema${details ? `: ${details}` : '.'}`);
}

/**
 * @param schema when the run asked for structured output: its validator, which
 *   the CLI's structured_output must pass (the CLI checks it too; this keeps a
 *   CLI regression from handing an app an object of the wrong shape).
 */
export function classifyOutcome(outcome: RunnerOutcome, nowMs = Date.now(), schema?: { validate: (value: unknown) => boolean }): ClassifiedOutcome {
  const error = (status: Exclude<RunStatus, 'ok'>, apiError: ApiError): ClassifiedOutcome => ({ kind: 'error', status, error: apiError });

  if (outcome.spawnError?.code === 'EHELPER') {
    return error('error', new ApiError('claude_error', "The run was stopped: the service's spawn helper exited (it restarts for the next run). Retry."));
  }
  if (outcome.spawnError) {
    const reason = outcome.spawnError.code === 'ENOENT' ? 'was not found' : `could not be started (${outcome.spawnError.code ?? 'error'})`;
    return error('error', new ApiError('claude_unavailable', `The Claude CLI ${reason}: check CLAUDE_BIN and the installation.`));
  }
  switch (outcome.stoppedBy) {
    case 'timeout':
      return error('timeout', new ApiError('claude_timeout', 'The run did not finish within timeout_secs (time queued included).'));
    case 'stalled':
      return error('timeout', new ApiError('claude_stalled', 'The Claude CLI printed nothing for longer than RUN_IDLE_TIMEOUT_SECS and was stopped.'));
    case 'cancelled':
      return error('cancelled', new ApiError('claude_error', 'The run was cancelled because the client went away.'));
    case 'shutdown':
      return error('cancelled', shuttingDownError());
    case 'auth_failed':
      return error('error', new ApiError('claude_not_authenticated', LOGIN_HINT));
    case 'output_too_large':
      return error('error', new ApiError('claude_error', 'The Claude CLI produced more output than the service accepts.'));
    case undefined:
      break;
  }
  const { result } = outcome.stream;
  if (result) {
    if (schema && (SCHEMA_FAILURE.has(result.subtype ?? '') || SCHEMA_FAILURE.has(result.terminal_reason ?? ''))) {
      return error('error', schemaNotSatisfied(result));
    }
    const limit = result.is_error === true ? runLimitReached(result) : undefined;
    if (limit) return error('error', limit);
    if (result.is_error === true) return error('error', fromErrorResult(result, outcome, nowMs));
    if (schema) {
      if (result.structured_output === undefined || !schema.validate(result.structured_output)) return error('error', schemaNotSatisfied(result));
      return { kind: 'ok', result };
    }
    if (typeof result.result === 'string') return { kind: 'ok', result };
  }
  const stderr = sanitizeCliText(outcome.stderrTail);
  const exit = outcome.exitSignal ? `was killed by ${outcome.exitSignal}` : `exited with code ${outcome.exitCode}`;
  const output = outcome.stream.garbageLines > 0 ? ' and printed output that is not stream-json' : ' without a result';
  return error('error', new ApiError('claude_error', `The Claude CLI ${exit}${output}.${stderr ? ` stderr: ${stderr}` : ''}`));
}
