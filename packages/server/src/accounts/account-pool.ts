// Which Claude account a run goes to. The highest-priority account that is
// ready (enabled, not cooling, login not dead, secret readable) and has a free
// slot; a session's turn stays on its account while that one is ready. When
// every ready account is busy the run waits; when none is ready it is refused
// at once: 429 claude_rate_limited (Retry-After: the earliest reset) when some
// are cooling, else 503 claude_not_authenticated.
//
// The accounts table is the truth; this keeps it in memory and reads it again
// when another connection (the operator CLI) has changed the database.
import type { Account, AccountReadiness, AccountState, LastRateLimit } from '@clawdforge/shared';
import { DEFAULT_CONFIG_DIR_CONCURRENCY } from '@clawdforge/shared';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import type { EnvOverlay } from '../process/env-overlay.js';
import { accountOverlay, readSecret, SecretError } from './account-environment.js';
import type { AccountRow, AccountsRepository } from './accounts.repository.js';

/** Where a run on an account finds its login and keeps its state. */
export interface AccountTarget {
  name: string;
  /** The CLI's config dir for this account: its own, or the default login's for a token or key without one. */
  configDir: string;
  env: EnvOverlay;
}

export interface AccountLease {
  readonly target: AccountTarget;
  /** Gives the slot back; once only, later calls do nothing. */
  release(): void;
}

export type AccountGrant =
  | { ok: true; lease: AccountLease }
  | { ok: false; reason: 'timeout' | 'cancelled' | 'shutdown' }
  | { ok: false; reason: 'unavailable'; error: ApiError };

export interface AcquireOptions {
  /** A session's account: taken whenever it is ready and has a free slot. */
  prefer?: string | null | undefined;
  /** Accounts this run already failed on. */
  exclude?: readonly string[];
  signal: AbortSignal;
  /** Epoch ms. */
  deadline: number;
}

/** What one attempt on an account showed about it. */
export type AccountVerdict =
  | { kind: 'fine' }
  | { kind: 'rate_limited'; untilMs: number; reason: string }
  | { kind: 'logged_out'; reason: string };

/** A ready account with its secret, read once for the survey that found it ready and the lease that uses it. */
interface ReadyAccount {
  row: AccountRow;
  secret: string | null;
}

interface Waiter {
  options: AcquireOptions;
  settle: (grant: AccountGrant) => void;
}

export interface AccountPoolDeps {
  repository: AccountsRepository;
  clock: Clock;
  logger: Logger;
  /** The default login's config dir: where a token or key account without a config_dir keeps the CLI's state. */
  defaultConfigDir: string;
  secretEnv: Readonly<Record<string, string>>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const epochMs = (text: string | null) => (text === null ? Number.NaN : Date.parse(text));

export class AccountPool {
  private rows = new Map<string, AccountRow>();
  /** Runs on each account now, by name: kept across re-reads of the table. */
  private readonly running = new Map<string, number>();
  private version = '';
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(private readonly deps: AccountPoolDeps) {
    this.refresh();
  }

  /** False without accounts: every run uses the CLI's default login, as before accounts existed. */
  get configured(): boolean {
    this.refresh();
    return this.rows.size > 0;
  }

  /** Every config dir a run may have used: the default login's and each account's. */
  configDirs(): string[] {
    this.refresh();
    return [...new Set([this.deps.defaultConfigDir, ...[...this.rows.values()].map((row) => this.configDirOf(row))])];
  }

  /** A slot on the best ready account, waiting while every ready one is busy. */
  acquire(options: AcquireOptions): Promise<AccountGrant> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'shutdown' });
    const now = this.tryGrant(options);
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ ok: false, reason: 'timeout' }), Math.max(0, options.deadline - Date.now()));
      const onAbort = () => settle({ ok: false, reason: 'cancelled' });
      const waiter: Waiter = { options, settle: (grant) => settle(grant) };
      const settle = (grant: AccountGrant) => {
        const index = this.waiters.indexOf(waiter);
        if (index === -1) {
          if (grant.ok) grant.lease.release(); // settled already: a grant arriving now is not kept
          return;
        }
        this.waiters.splice(index, 1);
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        resolve(grant);
      };
      this.waiters.push(waiter);
      options.signal.addEventListener('abort', onAbort, { once: true });
      if (options.signal.aborted) onAbort();
    });
  }

  /** What an attempt on `account` showed: a limit cools it, a refused login takes it out. */
  record(account: string, verdict: AccountVerdict, rateLimit: LastRateLimit | null): void {
    const row = this.rows.get(account);
    if (!row) return;
    const { repository, logger, clock } = this.deps;
    try {
      if (rateLimit) {
        row.last_rate_limit = JSON.stringify(rateLimit);
        repository.setLastRateLimit(account, row.last_rate_limit);
      }
      if (verdict.kind === 'rate_limited') {
        row.cooling_until = iso(verdict.untilMs);
        row.reason = verdict.reason;
        repository.setCooling(account, row.cooling_until, verdict.reason);
        logger.warn({ account, cooling_until: row.cooling_until }, 'Claude account hit a rate or usage limit: cooling');
      } else if (verdict.kind === 'logged_out') {
        row.logged_out_at = clock.now().toISOString();
        row.reason = verdict.reason;
        repository.setLoggedOut(account, row.logged_out_at, verdict.reason);
        logger.error({ account }, 'Claude account login refused: out of rotation until enabled again');
      }
    } catch (err) {
      logger.error({ err, account }, "an account's state could not be stored");
    }
    if (verdict.kind !== 'fine') this.wake();
  }

  /** Enable (which also forgets a dead login and a cooldown) or disable; false when there is no such account. */
  setEnabled(name: string, enabled: boolean): boolean {
    const changed = this.deps.repository.setDisabled(name, !enabled);
    this.refresh();
    return changed;
  }

  view(name: string): Account | undefined {
    this.refresh();
    const row = this.rows.get(name);
    return row && this.toView(row);
  }

  views(): Account[] {
    this.refresh();
    return [...this.rows.values()].map((row) => this.toView(row));
  }

  readiness(): AccountReadiness[] {
    return this.views().map(({ name, state, cooling_until: until }) => ({ name, state, until: state === 'cooling' ? until : null }));
  }

  /** Refuses every waiting and later acquire (shutdown). */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.settle({ ok: false, reason: 'shutdown' });
  }

  private refresh(): void {
    const version = this.deps.repository.changeMark();
    if (version === this.version) return;
    this.version = version;
    this.rows = new Map(this.deps.repository.list().map((row) => [row.name, row]));
    this.wake();
  }

  /** Its state now; a ready account's secret with it (read here, at each survey: a rotated file takes effect at once). */
  private stateOf(row: AccountRow, nowMs: number): { state: AccountState; reason: string | null; secret?: string | null } {
    if (row.disabled) return { state: 'disabled', reason: null };
    if (row.logged_out_at) return { state: 'logged_out', reason: row.reason };
    if (epochMs(row.cooling_until) > nowMs) return { state: 'cooling', reason: row.reason };
    try {
      return { state: 'ready', reason: null, secret: readSecret(row, this.deps.secretEnv) };
    } catch (error) {
      if (error instanceof SecretError) return { state: 'misconfigured', reason: error.message };
      throw error;
    }
  }

  private capOf(row: AccountRow): number {
    return row.max_concurrent ?? (row.type === 'config_dir' ? DEFAULT_CONFIG_DIR_CONCURRENCY : Number.POSITIVE_INFINITY);
  }

  private configDirOf(row: AccountRow): string {
    return row.config_dir ?? this.deps.defaultConfigDir;
  }

  /** The refusal a run would get now because no account is ready; undefined when one is (busy or not). */
  refusalNow(): ApiError | undefined {
    const { ready, refusal } = this.survey([]);
    return ready.length === 0 ? refusal() : undefined;
  }

  /** The ready accounts not excluded, in the table's order (priority, then name), and what to answer when there are none. */
  private survey(exclude: readonly string[]): { ready: ReadyAccount[]; refusal: () => ApiError } {
    this.refresh();
    const nowMs = this.deps.clock.now().getTime();
    const ready: ReadyAccount[] = [];
    let earliestReset = Number.POSITIVE_INFINITY;
    for (const row of this.rows.values()) {
      const { state, secret = null } = this.stateOf(row, nowMs);
      if (state === 'cooling') earliestReset = Math.min(earliestReset, epochMs(row.cooling_until));
      if (state === 'ready' && !exclude.includes(row.name)) ready.push({ row, secret });
    }
    return { ready, refusal: () => this.noneReady(earliestReset, nowMs) };
  }

  /** A grant now (a lease, or a refusal when no account is ready), or undefined: wait. */
  private tryGrant(options: AcquireOptions): AccountGrant | undefined {
    const { ready, refusal } = this.survey(options.exclude ?? []);
    if (ready.length === 0) return { ok: false, reason: 'unavailable', error: refusal() };
    // A session's account first; when it is busy, another free one (the history follows) rather than holding a run slot idle.
    const preferred = ready.find((account) => account.row.name === options.prefer);
    const candidates = preferred ? [preferred, ...ready.filter((account) => account !== preferred)] : ready;
    const free = candidates.find((account) => this.runningOn(account.row.name) < this.capOf(account.row));
    return free && { ok: true, lease: this.lease(free) };
  }

  private noneReady(earliestResetMs: number, nowMs: number): ApiError {
    if (Number.isFinite(earliestResetMs)) {
      const retryAfterSecs = Math.max(1, Math.ceil((earliestResetMs - nowMs) / 1000));
      return new ApiError('claude_rate_limited', `Every Claude account is at its rate or usage limit; the first is used again at ${iso(earliestResetMs)}.`, { retryAfterSecs });
    }
    return new ApiError('claude_not_authenticated', 'No Claude account can take runs: each is logged out, disabled or misconfigured (GET /admin/accounts says which and why).');
  }

  private lease({ row, secret }: ReadyAccount): AccountLease {
    const secretVariables = [...this.rows.values()].flatMap((other) => (other.secret_env ? [other.secret_env] : []));
    this.running.set(row.name, this.runningOn(row.name) + 1);
    let released = false;
    return {
      target: { name: row.name, configDir: this.configDirOf(row), env: accountOverlay(row, secret, secretVariables) },
      release: () => {
        if (released) return;
        released = true;
        this.running.set(row.name, this.runningOn(row.name) - 1);
        this.wake();
      },
    };
  }

  private runningOn(name: string): number {
    return this.running.get(name) ?? 0;
  }

  /** A slot freed or a state changed: waiting runs try again, first come first. Never throws (it runs inside a lease's release). */
  private wake(): void {
    for (const waiter of [...this.waiters]) {
      try {
        const grant = this.tryGrant(waiter.options);
        if (grant) waiter.settle(grant);
      } catch (err) {
        this.deps.logger.error({ err }, 'a run waiting for a Claude account could not be given one');
        waiter.settle({ ok: false, reason: 'unavailable', error: new ApiError('internal', 'Choosing a Claude account failed. The server log has the details.') });
      }
    }
  }

  private toView(row: AccountRow): Account {
    const { state, reason } = this.stateOf(row, this.deps.clock.now().getTime());
    return {
      name: row.name,
      type: row.type,
      source: row.source,
      priority: row.priority,
      max_concurrent: row.max_concurrent,
      state,
      reason,
      cooling_until: state === 'cooling' ? row.cooling_until : null,
      running: this.runningOn(row.name),
      last_rate_limit: row.last_rate_limit === null ? null : (JSON.parse(row.last_rate_limit) as LastRateLimit),
      created_at: row.created_at,
    };
  }
}
