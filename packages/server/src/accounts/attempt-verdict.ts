// What one attempt of a run says about the account it ran on. The CLI's own
// report decides: a rejected `rate_limit_event`, an upstream 429 or a usage
// limit result cools the account until the reset the API gave (or for
// ACCOUNT_COOLDOWN_SECS when it gave none: a transient 429 must not lock an
// account for hours); a refused login (401) takes it out of rotation.
import type { LastRateLimit } from '@clawdforge/shared';
import type { RateLimitInfo, RateLimitWindow } from '../claude/claude-stream.js';
import type { RunnerOutcome } from '../claude/claude-runner.js';
import type { ApiError } from '../errors.js';
import type { AccountVerdict } from './account-pool.js';

/** No reset is believed past this: the longest window (7 days) and some. */
const LONGEST_COOLING_MS = 8 * 24 * 3600 * 1000;

/**
 * What the CLI reported about its upstream in structured fields (an event, an
 * API status), as opposed to words in a result's text. Text is believed only
 * while the model has said nothing: once it has, an app's prompt could make
 * it say "rate limit" or "not logged in" and take an account out for others.
 */
function upstreamSaid(outcome: RunnerOutcome): { limited: boolean; refused: boolean } {
  const result = outcome.stream.result;
  const status = result?.api_error_status ?? null;
  return {
    limited: status === 429 || result?.api_error_type === 'rate_limit_error' || outcome.stream.retryStatuses.includes(429),
    refused: outcome.stoppedBy === 'auth_failed' || status === 401 || result?.api_error_type === 'authentication_error',
  };
}

export function judgeAttempt(outcome: RunnerOutcome, error: ApiError | undefined, nowMs: number, cooldownMs: number): AccountVerdict {
  const rejected = outcome.stream.rateLimit?.status === 'rejected' && !outcome.stream.rateLimit.isUsingOverage;
  const said = upstreamSaid(outcome);
  // A 403 is this run's (a model the account's plan lacks, say), not a dead login: an app choosing such a model must not retire accounts.
  if (outcome.stream.result?.api_error_status === 403) return { kind: 'fine' };
  const believed = (structured: boolean) => structured || !outcome.stream.producedOutput;
  if ((error?.apiCode === 'claude_rate_limited' && believed(said.limited)) || rejected) {
    // Only a limit that holds says when it ends: a rejected window while overage pays may reset days later.
    const resetMs = (rejected ? outcome.stream.rateLimit?.resetsAt : null) ?? null;
    const fromError = error?.retryAfterSecs === undefined ? Number.NaN : nowMs + error.retryAfterSecs * 1000;
    const told = resetMs !== null ? resetMs * 1000 : fromError;
    const untilMs = Number.isFinite(told) && told > nowMs && told - nowMs <= LONGEST_COOLING_MS ? told : nowMs + cooldownMs;
    const limit = outcome.stream.rateLimit?.rateLimitType;
    return { kind: 'rate_limited', untilMs, reason: `hit its ${limit ? `${limit} ` : ''}rate or usage limit` };
  }
  if (error?.apiCode === 'claude_not_authenticated' && believed(said.refused)) return { kind: 'logged_out', reason: 'its login was refused (not logged in, or the token or key is no longer valid)' };
  return { kind: 'fine' };
}

/** A run failed because of its account, before the model said anything: another account may take it. */
export function worthAnotherAccount(outcome: RunnerOutcome, verdict: AccountVerdict): boolean {
  if (verdict.kind === 'fine' || outcome.stream.producedOutput) return false;
  return outcome.stoppedBy === undefined || outcome.stoppedBy === 'auth_failed';
}

const isoOrNull = (epochSecs: number | null) => (epochSecs === null ? null : new Date(epochSecs * 1000).toISOString());
const windowView = (window: RateLimitWindow | null) => window && { utilization: window.utilization, resets_at: isoOrNull(window.resetsAt) };

/** The CLI's last rate limit report, as the admin API shows it. */
export function lastRateLimitOf(info: RateLimitInfo | undefined, nowMs: number): LastRateLimit | null {
  if (!info) return null;
  return {
    status: info.status,
    limit_type: info.rateLimitType,
    resets_at: isoOrNull(info.resetsAt),
    five_hour: windowView(info.fiveHour),
    seven_day: windowView(info.sevenDay),
    reported_at: new Date(nowMs).toISOString(),
  };
}
