// A run's attempts across Claude accounts: the first on the account it was
// given, and at most one more on another when the first failed because of its
// account (a limit, a refused login) before the model said anything. Each
// attempt's report goes to the pool, which cools or retires the account.
import type { RunnerOutcome } from '../claude/claude-runner.js';
import { classifyOutcome, type ClassifiedOutcome } from '../claude/classify-outcome.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AccountGrant, AccountLease, AccountPool, AccountTarget } from './account-pool.js';
import { judgeAttempt, lastRateLimitOf, worthAnotherAccount } from './attempt-verdict.js';

export interface AccountTriesDeps {
  pool: AccountPool;
  metrics: Metrics;
  clock: Clock;
  cooldownMs: number;
}

export class AccountTries {
  private lease: AccountLease | undefined;
  /** Accounts tried, in order. */
  readonly tried: string[] = [];
  /** Config dirs the CLI ran with: the run's per-directory state may be in each. */
  readonly configDirs: string[] = [];
  /** How the last attempt on an account ended, as the run's answer reads it (classified once, here). */
  classified: ClassifiedOutcome | undefined;
  /** Set when the run could have gone on elsewhere but did not get another account: why, which the caller is told instead. */
  refusal: Exclude<AccountGrant, { ok: true }> | undefined;

  /** @param lease the account the run starts on; undefined without accounts (the CLI's default login). */
  constructor(
    private readonly deps: AccountTriesDeps,
    lease: AccountLease | undefined,
    defaultConfigDir: string,
  ) {
    this.lease = lease;
    this.configDirs.push(lease?.target.configDir ?? defaultConfigDir);
  }

  /** The account the run is on now; null without accounts. */
  get target(): AccountTarget | null {
    return this.lease?.target ?? null;
  }

  /**
   * Runs `attempt` on the current account; when that failed because of the
   * account before any output, takes another (waiting for a slot within the
   * run's deadline), lets `beforeRetry` move what the run needs there, and
   * runs it once more.
   */
  async run(
    attempt: (target: AccountTarget | null) => Promise<RunnerOutcome>,
    retry: { signal: AbortSignal; deadline: number; schema: { validate: (value: unknown) => boolean } | undefined; beforeRetry?: ((target: AccountTarget) => Promise<void>) | undefined },
  ): Promise<RunnerOutcome> {
    const outcome = await attempt(this.target);
    if (!this.lease || !this.report(this.lease, outcome, retry.schema) || retry.signal.aborted) return outcome;
    const next = await this.deps.pool.acquire({ exclude: this.tried, signal: retry.signal, deadline: retry.deadline });
    if (!next.ok) {
      this.refusal = next;
      return outcome;
    }
    this.lease.release();
    this.lease = next.lease;
    this.configDirs.push(next.lease.target.configDir);
    await retry.beforeRetry?.(next.lease.target);
    const second = await attempt(next.lease.target);
    this.report(next.lease, second, retry.schema);
    return second;
  }

  /** The account first tried, when the run ended on another. */
  get failedOverFrom(): string | null {
    return this.tried.length > 1 ? this.tried[0]! : null;
  }

  get account(): string | null {
    return this.tried.at(-1) ?? null;
  }

  release(): void {
    this.lease?.release();
  }

  /** Tells the pool what the attempt showed; true when another account may take the run. */
  private report(lease: AccountLease, outcome: RunnerOutcome, schema: { validate: (value: unknown) => boolean } | undefined): boolean {
    const { pool, metrics, clock, cooldownMs } = this.deps;
    const nowMs = clock.now().getTime();
    const classified = classifyOutcome(outcome, nowMs, schema);
    this.classified = classified;
    const error = classified.kind === 'error' ? classified.error : undefined;
    const verdict = judgeAttempt(outcome, error, nowMs, cooldownMs);
    const name = lease.target.name;
    this.tried.push(name);
    pool.record(name, verdict, lastRateLimitOf(outcome.stream.rateLimit, nowMs));
    metrics.observeAccountAttempt(name, verdict.kind === 'fine' ? (error ? 'error' : 'ok') : verdict.kind);
    return worthAnotherAccount(outcome, verdict);
  }
}
