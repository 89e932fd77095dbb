// One /run from admission to audit row: queue slot, throw-away directory, the
// CLI, classification, and exactly one audit row whatever happens.
import { randomBytes } from 'node:crypto';
import type { RunResponse, RunStatus, runRequestSchema } from '@clawdforge/shared';
import type { z } from 'zod';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { FileService } from '../files/file-service.js';
import type { FileRow } from '../files/files.repository.js';
import type { Metrics } from '../metrics/metrics.js';
import { ApiError, toPublicError } from '../errors.js';
import type { CliSession, Runner, RunnerOutcome } from '../claude/claude-runner.js';
import type { StreamEvent } from '../claude/claude-stream.js';
import { classifyOutcome, shuttingDownError } from '../claude/classify-outcome.js';
import { checkJsonSchema, type CheckedSchema } from '../admission/json-schema.js';
import { parseModelAnswer } from '../claude/parse-result.js';
import type { QuotaGate } from '../admission/quota-gate.js';
import { applyPolicy, type PolicyDecision } from '../admission/run-policy.js';
import type { PlacedAttachment } from '../files/file-service.js';
import { neutralizeCliSyntax } from '../claude/prompt-guard.js';
import { canWriteFiles, createRunDir, removeRunDir, removeWrittenFiles, writeRunFile, type RemoveAsRunUser, type RunDir, type RunOwner } from '../claude/run-dir.js';
import type { RunQueue } from '../admission/run-queue.js';
import { insertRun, type AuditRow } from './runs.repository.js';
import type { AccountGrant, AccountPool, AccountTarget } from '../accounts/account-pool.js';
import { AccountTries } from '../accounts/account-tries.js';
import { LiveRuns } from './live-runs.js';

/** A run's input, as the shared schema parses it. */
export type RunInput = z.output<typeof runRequestSchema>;

export interface RunServiceDeps {
  config: Config;
  /** The real path of RUNS_DIR, created at start-up. */
  runsDir: string;
  /** The user runs execute as; null: the service's own. */
  runOwner: RunOwner | null;
  /** The CLI's config dir (the default login's), whose per-directory state each run leaves behind. */
  claudeConfigDir: string;
  /** The Claude accounts runs are spread over; none configured: the default login. */
  accounts: AccountPool;
  /** Removes trees the run user could write, as that user; null without a run user. */
  removeAsRunUser: RemoveAsRunUser | null;
  db: Db;
  clock: Clock;
  logger: Logger;
  runner: Runner;
  queue: RunQueue;
  quotas: QuotaGate;
  files: FileService;
  metrics: Metrics;
}



/**
 * Attached files are mentioned by their name in the run's directory, one per
 * line: the CLI reads each `@file-N.ext` into the request. The model is told
 * the name each was uploaded with (defused like the prompt: it is app text).
 */
function withMentions(prompt: string, attached: readonly PlacedAttachment[]): string {
  if (attached.length === 0) return prompt;
  const lines = attached.map(({ fileName, displayName }) => `@${fileName} (uploaded as ${neutralizeCliSyntax(JSON.stringify(displayName))})`);
  return `${prompt}\n\nAttached files:\n${lines.join('\n')}`;
}

/** A run tried again on another account tells its watcher it started once. */
function startedOnce(onProgress: (event: RunProgress) => void): (event: RunProgress) => void {
  let started = false;
  return (event) => {
    if (event.type === 'started' && started) return;
    started ||= event.type === 'started';
    onProgress(event);
  };
}

/** A session turn's `started` event names the session, not the CLI's id for it. */
function withSessionId(onProgress: (event: RunProgress) => void, sessionId: string): (event: RunProgress) => void {
  return (event) => onProgress(event.type === 'started' ? { ...event, data: { ...event.data, session_id: sessionId } } : event);
}

/** What a watcher of a run is told as it goes (RunEvent without seq; the outcome is told by run()'s result). */
export type RunProgress = { type: 'queued'; data: { position: number } } | StreamEvent;

export interface RunOptions {
  signal: AbortSignal;
  requestId?: string | null;
  onProgress?: ((event: RunProgress) => void) | undefined;
  /** The run's id, when the caller needs it before the run ends (an async run); a new one by default. */
  runId?: string;
  /** Told how the run ended, in its audit row's words, and the row itself, before run() settles. */
  onOutcome?: ((status: RunStatus, row: AuditRow) => void) | undefined;
  /** A session's turn rather than a throw-away run. */
  session?: SessionTurn | undefined;
}

/** A turn of a session: its directory outlives the run, and the CLI continues the session's conversation. */
export interface SessionTurn {
  /** The clawdforge session id: the audit row's and the answer's session_id. */
  sessionId: string;
  /** The turn's number in the session (the audit row's `turn`). */
  turn: number;
  /** The session's directory, left in place after the run (only the files written beside it go). */
  dir: RunDir;
  cli: CliSession;
  /** The Claude account the session's last turn ran on: this one stays there while it can. */
  account: string | null;
  /** Called once the turn has its slot and account, just before the CLI starts: the session's directory and history made ready for it. */
  prepare: (account: AccountTarget | null) => Promise<void>;
  /** The turn goes to another account before its CLI said anything: what the first attempt left is cleared, the history placed for the other. */
  moveTo: (account: AccountTarget) => Promise<void>;
  /** Called once the CLI has ended (or did not start), before the slot goes to another run: the session sealed again. Never throws. */
  finish: () => Promise<void>;
}

/** The most of a failed run's message the audit row keeps (messages quote at most 500 characters of the CLI's). */
const MAX_ERROR_MESSAGE_CHARS = 1000;

/** A new run id: `run_` and 12 random bytes, base64url. */
export const newRunId = () => `run_${randomBytes(12).toString('base64url')}`;

/** Facts of a run known when it arrives. */
interface RunStart {
  signal: AbortSignal;
  receivedAt: number;
  runId: string;
  onProgress: ((event: RunProgress) => void) | undefined;
  session: SessionTurn | undefined;
}

/** What the audit row learns as the run goes, beyond what it knows at the start. */
type RunFacts = Partial<AuditRow>;

/**
 * How a run ended: what its one audit row says and what its caller gets.
 * Every path through a run ends in exactly one of these; run() records it.
 */
type RunOutcome =
  | { status: 'ok'; facts: RunFacts; response: RunResponse }
  | { status: Exclude<RunStatus, 'ok'>; facts: RunFacts; error: ApiError };

/** Why the run was stopped, when whoever stopped it said (DELETE /runs/{id}); undefined for a client gone away. */
const cancelReason = (signal: AbortSignal) => (signal.aborted && signal.reason instanceof ApiError ? signal.reason : undefined);

const refused = (status: Exclude<RunStatus, 'ok'>, error: ApiError, facts: RunFacts = {}): RunOutcome => ({ status, error, facts });
const asApiError = (error: unknown, message: string) => (error instanceof ApiError ? error : new ApiError('internal', message, { cause: error }));

export class RunService {
  /** Recent run durations, for a Retry-After that means something when the queue is full. */
  private averageRunMs = 30_000;
  /** Aborted when the shutdown grace period is over: the runs still going are stopped. */
  private readonly shutdown = new AbortController();
  /** The runs queued or running now (the dashboard's live view). */
  readonly live = new LiveRuns();
  /** The last run that failed for authentication: /readyz shows it. */
  lastAuthFailure: { at: string; message: string } | null = null;
  /** run() calls not yet finished (audit row included), and who waits for there to be none. */
  private active = 0;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly deps: RunServiceDeps) {}

  /**
   * Runs a prompt for `caller`; resolves with the answer or rejects with the ApiError its audit row records.
   * `onProgress`, when given, is told the run's events as they happen (its first, `queued`, once admitted).
   * `signal` stops the run: as cancelled by a client gone away, or with its reason when that is an ApiError.
   */
  async run(caller: AuthenticatedApp, input: RunInput, options: RunOptions): Promise<RunResponse> {
    const { config, clock } = this.deps;
    const { signal, requestId = null, runId = newRunId(), session } = options;
    // A watcher's failure is its own: it must not reach the queue or the CLI's output handling.
    const onProgress = options.onProgress && this.guarded(startedOnce(session ? withSessionId(options.onProgress, session.sessionId) : options.onProgress), runId);
    const receivedAt = Date.now();
    const row: AuditRow = { ...this.auditBase(runId, caller.name, input.model ?? config.defaultModel, input, clock.now().toISOString()), request_id: requestId };
    // A turn is audited under its session, not under the CLI's id for it.
    const sessionFacts: RunFacts = session ? { session_id: session.sessionId, turn: session.turn } : {};
    this.active += 1;
    this.live.queued({ run_id: row.id, app: caller.name, model: row.model, since: row.created_at, session_id: session?.sessionId ?? null });
    let releaseQuota: (() => void) | undefined;
    let outcome: RunOutcome;
    try {
      outcome = await this.decide(caller, input, { signal, receivedAt, runId: row.id, onProgress, session }, (release) => (releaseQuota = release));
    } catch (cause) {
      // Every expected failure is an outcome; this is a bug, still recorded like any other ending.
      this.deps.logger.error({ err: cause, run_id: row.id }, 'run failed unexpectedly');
      outcome = refused('error', asApiError(cause, 'The run failed. The server log has the details.'));
    }
    try {
      const { status } = outcome;
      const publicError = status === 'ok' ? null : toPublicError(outcome.error);
      const audited: AuditRow = { ...row, ...outcome.facts, ...sessionFacts, status, error_code: publicError?.code ?? null, error_message: publicError?.message.slice(0, MAX_ERROR_MESSAGE_CHARS) ?? null };
      options.onOutcome?.(status, audited);
      this.record(audited);
    } finally {
      releaseQuota?.(); // after the audit row: from then on the rollup counts the run
      this.live.ended(row.id);
      this.active -= 1;
      if (this.active === 0) for (const wake of [...this.idleWaiters]) wake();
    }
    if (outcome.status === 'ok') return outcome.response;
    throw outcome.error;
  }

  /** Policy, schema and quota first: a refusal there waits for nothing and spawns nothing. */
  private async decide(caller: AuthenticatedApp, input: RunInput, start: RunStart, onQuota: (release: () => void) => void): Promise<RunOutcome> {
    const { config } = this.deps;
    let decision: PolicyDecision;
    let schema: CheckedSchema | undefined;
    try {
      decision = applyPolicy(caller.name, caller.policy, input, { defaultModel: config.defaultModel, allowedRiskyTools: config.allowedRiskyTools });
    } catch (error) {
      return refused('rejected', asApiError(error, 'Checking the run against the policy failed.'));
    }
    try {
      schema = input.json_schema && checkJsonSchema(input.json_schema);
      onQuota(await this.deps.quotas.admit(caller.name, caller.policy));
    } catch (error) {
      return refused('rejected', asApiError(error, 'Checking the run against the policy failed.'), { model: decision.model });
    }
    const outcome = await this.execute(caller, input, { ...start, decision, schema });
    return { ...outcome, facts: { model: decision.model, ...outcome.facts } } as RunOutcome;
  }

  /** A run past the policy and quota checks: files, queue, CLI, classification. */
  private async execute(
    caller: AuthenticatedApp,
    input: RunInput,
    run: RunStart & { decision: PolicyDecision; schema: CheckedSchema | undefined },
  ): Promise<RunOutcome> {
    const { clock, queue } = this.deps;
    const { decision, schema, signal, receivedAt, runId, onProgress, session } = run;
    const app = caller.name;
    const model = decision.model;
    const fileTokens = input.files ?? [];
    let files: FileRow[];
    try {
      files = await this.deps.files.resolveForRun(app, fileTokens);
    } catch (error) {
      return refused('rejected', asApiError(error, 'Attaching the files failed.'));
    }

    const deadline = receivedAt + decision.timeoutSecs * 1000;
    const onQueued = onProgress && ((position: number) => onProgress({ type: 'queued', data: { position } }));
    // No account can take it now (all cooling, or none logged in): said at once, not after a wait in the queue.
    const noAccount = this.deps.accounts.configured ? this.deps.accounts.refusalNow() : undefined;
    if (noAccount) return refused('rejected', noAccount);
    const slot = await queue.acquire({ app, appMaxConcurrent: caller.policy.max_concurrent, signal, deadline, onQueued });
    let queueWaitMs = Date.now() - receivedAt;
    if (!slot.ok) {
      const waited = { queue_wait_ms: queueWaitMs };
      if (slot.reason === 'full') return refused('rejected', this.queueFullError(), waited);
      if (slot.reason === 'shutdown') return refused('rejected', shuttingDownError(), waited);
      if (slot.reason === 'timeout') return refused('timeout', new ApiError('claude_timeout', 'The run waited in the queue past timeout_secs.'), waited);
      return refused('cancelled', cancelReason(signal) ?? new ApiError('claude_error', 'Cancelled: the client went away.'), waited);
    }

    let grant: Awaited<ReturnType<RunService['takeAccount']>>;
    try {
      grant = await this.takeAccount(session?.account ?? null, signal, deadline);
    } catch (error) {
      slot.release();
      throw error;
    }
    if (!grant.ok) {
      slot.release();
      return this.accountRefusal(grant, signal, { queue_wait_ms: Date.now() - receivedAt });
    }
    const tries = new AccountTries(
      { pool: this.deps.accounts, metrics: this.deps.metrics, clock, cooldownMs: this.deps.config.accountCooldownSecs * 1000 },
      grant.lease,
      this.deps.claudeConfigDir,
    );
    queueWaitMs = Date.now() - receivedAt; // a wait for a free account is a wait too
    this.live.running(runId, clock.now().toISOString());
    const startedAt = Date.now();
    let outcome: RunnerOutcome;
    let runDir: RunDir | undefined;
    try {
      if (session) await session.prepare(tries.target);
      runDir = session?.dir ?? createRunDir(this.deps.runsDir, this.deps.runOwner, { writable: canWriteFiles(decision.tools) });
      if (input.system !== undefined) writeRunFile(runDir, runDir.systemPromptFile, input.system);
      if (input.append_system !== undefined) writeRunFile(runDir, runDir.appendSystemPromptFile, input.append_system);
      // A session keeps every turn's files: each turn's get names of their own.
      const attached = this.deps.files.placeInRunDir(files, fileTokens, runDir, session && `turn${session.turn}-file`);
      const { cwd, systemPromptFile, appendSystemPromptFile } = runDir;
      const prompt = withMentions(neutralizeCliSyntax(input.prompt), attached);
      outcome = await tries.run(
        (account) =>
          this.deps.runner.run({
            prompt,
            model,
            ...(input.system !== undefined ? { systemPromptFile } : {}),
            ...(input.append_system !== undefined ? { appendSystemPromptFile } : {}),
            options: {
              tools: decision.tools,
              fallbackModel: decision.fallbackModel,
              jsonSchema: schema?.text,
              maxTurns: input.max_turns,
              maxBudgetUsd: input.max_budget_usd,
              effort: input.effort,
            },
            cwd,
            deadline,
            signal,
            shutdown: this.shutdown.signal,
            onEvent: onProgress,
            session: session?.cli,
            env: account?.env,
          }),
        { signal, deadline, schema, beforeRetry: session && ((account) => session.moveTo(account)) },
      );
    } catch (cause) {
      if (cause instanceof ApiError) return refused('rejected', cause, { queue_wait_ms: queueWaitMs }); // a file vanished meanwhile
      this.deps.logger.error({ err: cause, run_id: runId }, 'run failed before the CLI finished');
      return refused('error', new ApiError('internal', 'The run could not be started. The server log has the details.', { cause }), {
        queue_wait_ms: queueWaitMs,
        duration_ms: Date.now() - startedAt,
      });
    } finally {
      try {
        if (session) {
          if (runDir) this.removeWrittenFiles(runDir);
          await session.finish(); // sealed before its slot lets another run start
        }
        tries.release();
      } finally {
        slot.release();
      }
      if (!session && runDir) await this.removeRunDir(runDir, tries.configDirs);
    }

    const durationMs = Date.now() - startedAt;
    this.averageRunMs = this.averageRunMs * 0.8 + durationMs * 0.2;
    const explicit = outcome.stoppedBy === 'cancelled' ? cancelReason(signal) : undefined;
    const classified = explicit
      ? { kind: 'error' as const, status: 'cancelled' as const, error: explicit }
      : tries.refusal
        ? this.retryRefusal(tries.refusal, signal) // the run could have gone on elsewhere, but did not: why is the answer
        : (tries.classified ?? classifyOutcome(outcome, clock.now().getTime(), schema)); // without accounts, nothing classified it yet
    const { result } = outcome.stream;
    const facts: RunFacts = {
      exit_code: outcome.exitCode,
      stop_reason: result?.stop_reason ?? null,
      session_id: result?.session_id ?? outcome.stream.sessionId ?? null,
      input_tokens: result?.usage?.input_tokens ?? null,
      output_tokens: result?.usage?.output_tokens ?? null,
      cost_usd: result?.total_cost_usd ?? null,
      response_chars: result?.result?.length ?? null,
      queue_wait_ms: queueWaitMs,
      duration_ms: durationMs,
      account: tries.account,
      failover_from: tries.failedOverFrom,
    };
    if (classified.kind === 'error') {
      if (classified.error.apiCode === 'claude_not_authenticated') {
        this.lastAuthFailure = { at: clock.now().toISOString(), message: classified.error.message };
      }
      return refused(classified.status, classified.error, facts);
    }
    return {
      status: 'ok',
      facts,
      response: {
        ok: true,
        result: schema ? classified.result.structured_output : parseModelAnswer(classified.result.result ?? ''),
        duration_ms: durationMs,
        stop_reason: classified.result.stop_reason ?? null,
        run_id: runId,
        session_id: session?.sessionId ?? facts.session_id ?? null,
        model: Object.keys(classified.result.modelUsage ?? {})[0] ?? outcome.stream.model ?? model,
        usage: { input_tokens: facts.input_tokens ?? 0, output_tokens: facts.output_tokens ?? 0 },
        cost_usd: facts.cost_usd ?? null,
      },
    };
  }

  private guarded(onProgress: (event: RunProgress) => void, runId: string): (event: RunProgress) => void {
    return (event) => {
      try {
        onProgress(event);
      } catch (err) {
        this.deps.logger.error({ err, run_id: runId, event: event.type }, 'a run watcher failed');
      }
    };
  }

  /** Stops every running run now (a second shutdown signal). */
  stopNow(): void {
    this.deps.queue.close();
    this.deps.accounts.close();
    this.shutdown.abort();
  }

  /** Refuses waiting and new runs at once; stops the running ones after `graceMs`. Resolves when none is left, audit rows written. */
  async drain(graceMs: number): Promise<void> {
    this.deps.queue.close();
    this.deps.accounts.close();
    if (await this.whenIdle(graceMs)) return;
    this.deps.logger.warn({ runs: this.deps.queue.runningCount }, 'grace period over: stopping the remaining runs');
    this.shutdown.abort();
    await this.whenIdle(30_000);
  }

  /** Resolves true once no run() is in progress, false after `timeoutMs`. */
  private whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  private removeWrittenFiles(runDir: RunDir): void {
    try {
      removeWrittenFiles(runDir);
    } catch (err) {
      this.deps.logger.error({ err, path: runDir.cwd }, "a turn's system prompt files could not be removed");
    }
  }

  /** A slot on a Claude account, when accounts are configured; without, the default login serves, no lease. */
  private takeAccount(prefer: string | null, signal: AbortSignal, deadline: number): Promise<AccountGrant | { ok: true; lease: undefined }> {
    if (!this.deps.accounts.configured) return Promise.resolve({ ok: true, lease: undefined });
    return this.deps.accounts.acquire({ prefer, signal, deadline });
  }

  /** A failover that could not happen: every other account cools too (its Retry-After says when one is back), the wait ran out, the client left, or the service is stopping. */
  private retryRefusal(refusal: Exclude<AccountGrant, { ok: true }>, signal: AbortSignal): { kind: 'error'; status: Exclude<RunStatus, 'ok'>; error: ApiError } {
    const { status, error } = this.accountRefusal(refusal, signal, {}) as Extract<RunOutcome, { error: ApiError }>;
    return { kind: 'error', status: status === 'rejected' ? 'error' : status, error };
  }

  private accountRefusal(grant: Exclude<AccountGrant, { ok: true }>, signal: AbortSignal, facts: RunFacts): RunOutcome {
    if (grant.reason === 'unavailable') return refused('rejected', grant.error, facts);
    if (grant.reason === 'shutdown') return refused('rejected', shuttingDownError(), facts);
    if (grant.reason === 'timeout') return refused('timeout', new ApiError('claude_timeout', 'The run waited for a free Claude account past timeout_secs.'), facts);
    return refused('cancelled', cancelReason(signal) ?? new ApiError('claude_error', 'Cancelled: the client went away.'), facts);
  }

  private async removeRunDir(runDir: RunDir, configDirs: readonly string[]): Promise<void> {
    try {
      await removeRunDir(runDir, configDirs, this.deps.removeAsRunUser);
    } catch (err) {
      this.deps.logger.error({ err, path: runDir.cwd }, 'run directory could not be removed; the next start removes it');
    }
  }

  private queueFullError(): ApiError {
    const { queue, config } = this.deps;
    const waitMs = this.averageRunMs * ((queue.queuedCount + queue.runningCount) / config.maxConcurrentRuns);
    const retryAfterSecs = Math.min(300, Math.max(1, Math.ceil(waitMs / 1000)));
    return new ApiError('queue_full', `The run queue is full (${queue.queuedCount} waiting); retry later.`, { retryAfterSecs });
  }

  private auditBase(id: string, app: string, model: string, input: RunInput, createdAt: string): AuditRow {
    return {
      id,
      app,
      model,
      prompt: this.deps.config.auditPrompts ? input.prompt : null,
      prompt_chars: input.prompt.length,
      system_chars: input.system?.length ?? 0,
      file_count: input.files?.length ?? 0,
      response_chars: null,
      status: 'error',
      error_code: null,
      exit_code: null,
      stop_reason: null,
      session_id: null,
      input_tokens: null,
      output_tokens: null,
      cost_usd: null,
      queue_wait_ms: 0,
      duration_ms: 0,
      created_at: createdAt,
      request_id: null,
    };
  }

  /** Writes the run's one audit row (and counts it); a failure is logged, never turned into a lost answer. */
  private record(row: AuditRow): void {
    this.deps.metrics.observeRun({ ...row, rejected: row.status === 'rejected' });
    try {
      insertRun(this.deps.db, row);
    } catch (err) {
      this.deps.logger.error({ err, run_id: row.id }, 'audit row could not be written');
    }
  }
}
