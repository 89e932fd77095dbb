// Async runs: POST /runs starts a run that outlives its request. It is the same
// run as POST /run (policy, quotas, queue, audit row), started with a signal of
// its own, so a caller going away does not cancel it; DELETE does. Every event
// is stored as it happens, numbered, so a reader of /runs/{id}/events can start
// over or resume after the last it saw; live readers get them as they come.
// A run belongs to the token that started it (its name and mint time): a later
// token of the same name, after a revoke, is someone else.
import type { AsyncRun, AsyncRunAccepted, AsyncRunStatus, RunEvent, RunResponse } from '@clawdforge/shared';
import type { Logger } from 'pino';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ApiError, toPublicError } from '../errors.js';
import { errorBody } from '../http/send.js';
import { insertRun } from '../runs/runs.repository.js';
import { newRunId, type RunInput, type RunOptions, type RunProgress, type RunService } from '../runs/run-service.js';
import type { AsyncRunsRepository, AsyncRunRow } from './async-runs.repository.js';

/** Most events stored for one run, and most bytes of their data: past either, only its last event is stored. */
export const MAX_STORED_EVENTS = 10_000;
export const MAX_STORED_EVENT_BYTES = 8 * 1024 * 1024;
/** Most event streams one app may have open at once (each may hold a replay in flight). */
export const MAX_EVENT_STREAMS_PER_APP = 8;
const PRUNE_RUNS_PER_STEP = 20;
const PRUNE_EVENTS_PER_STEP = 2_000;

type Listener = (event: RunEvent) => void;

/** What an async run runs: its model (for its row) and the call that runs it with the options given. */
export interface AsyncJob {
  model: string;
  execute: (options: RunOptions) => Promise<RunResponse>;
}

/** A run of this process still going: how to stop it, and who reads its events live. */
interface LiveRun {
  /** The app that started it. */
  app: string;
  controller: AbortController;
  seq: number;
  storedEvents: number;
  storedBytes: number;
  /** Past a bound: only the last event is stored (and sent) from here on. */
  truncated: boolean;
  listeners: Set<Listener>;
}

export interface AsyncRunDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  runs: RunService;
  repository: AsyncRunsRepository;
  /** Told when a run has ended and its last event is stored (its webhook, if any, goes out). */
  onFinished?: (owner: { app: string; tokenCreatedAt: string }, run: FinishedRun) => void;
}

export interface FinishedRun {
  runId: string;
  status: AsyncRunStatus;
  result: AsyncRun['result'];
  error: AsyncRun['error'];
  at: string;
}

const notFound = () => new ApiError('not_found', "No such run: it never was, it is another app's, or it was pruned.");
/** A run's last event: its result or its error. */
export const isLastEvent = (event: RunEvent) => event.type === 'result' || event.type === 'error';

export class AsyncRuns {
  private readonly live = new Map<string, LiveRun>();
  private readonly openStreams = new Map<string, number>();

  constructor(private readonly deps: AsyncRunDeps) {}

  /** POST /runs: a run of POST /run's body, detached from the request. */
  startRun(caller: AuthenticatedApp, input: RunInput, requestId: string): Promise<AsyncRunAccepted> {
    const model = input.model ?? this.deps.config.defaultModel;
    return this.start(caller, { model, execute: (options) => this.deps.runs.run(caller, input, options) }, requestId);
  }

  /**
   * Starts a run detached from the request; resolves once it is queued, or
   * rejects with the refusal (policy, quota, a full queue, a busy session) as
   * the blocking call would. `job.execute` is RunService.run, or a session's turn.
   */
  start(caller: AuthenticatedApp, job: AsyncJob, requestId: string): Promise<AsyncRunAccepted> {
    const { repository, clock, logger } = this.deps;
    const runId = newRunId();
    const controller = new AbortController();
    let live: LiveRun | undefined;
    let unstored = false;
    let status: AsyncRunStatus = 'error';
    return new Promise<AsyncRunAccepted>((accepted, refused) => {
      const onProgress = (event: RunProgress) => {
        if (unstored) return;
        if (!live) {
          // The first event is `queued`: the run is admitted, and from here on it exists for its owner.
          try {
            repository.create({
              run_id: runId,
              app: caller.name,
              token_created_at: caller.tokenCreatedAt,
              model: job.model,
              request_id: requestId,
              created_at: clock.now().toISOString(),
            });
          } catch (err) {
            logger.error({ err, run_id: runId }, 'async run could not be stored; it is stopped');
            unstored = true;
            controller.abort(new ApiError('internal', 'The run could not be stored. The server log has the details.'));
            return;
          }
          live = { app: caller.name, controller, seq: 0, storedEvents: 0, storedBytes: 0, truncated: false, listeners: new Set() };
          this.live.set(runId, live);
          accepted({ run_id: runId, status: 'queued', status_url: `/runs/${runId}`, events_url: `/runs/${runId}/events` });
        }
        if (event.type === 'started') this.safely(runId, () => repository.markRunning(runId));
        this.append(runId, live, event.type, event.data);
      };
      const onOutcome = (audited: AsyncRunStatus) => (status = audited);
      const owner = { app: caller.name, tokenCreatedAt: caller.tokenCreatedAt };
      job.execute({ signal: controller.signal, requestId, onProgress, runId, onOutcome }).then(
        (response) => live && this.finish(runId, live, owner, 'ok', { type: 'result', data: response }),
        (error: unknown) => {
          if (!live) return refused(error);
          this.finish(runId, live, owner, status, { type: 'error', data: errorBody(toPublicError(error), requestId) });
        },
      );
    });
  }

  /** The run as its owner sees it; not_found for anyone else. */
  get(owner: AuthenticatedApp, runId: string): AsyncRun {
    const row = this.owned(owner, runId);
    const outcome = row.outcome === null ? null : (JSON.parse(row.outcome) as Record<string, unknown>);
    return {
      run_id: row.run_id,
      status: row.status,
      created_at: row.created_at,
      finished_at: row.finished_at,
      result: row.status === 'ok' ? (outcome as AsyncRun['result']) : null,
      error: row.status !== 'ok' && outcome ? (outcome as AsyncRun['error']) : null,
    };
  }

  /** Stops the run if it is still going (it ends `cancelled`); answers how it stands. */
  async cancel(owner: AuthenticatedApp, runId: string): Promise<AsyncRun> {
    this.owned(owner, runId);
    const live = this.live.get(runId);
    if (live) {
      const ended = new Promise<void>((resolve) => live.listeners.add((event) => isLastEvent(event) && resolve()));
      live.controller.abort(new ApiError('run_cancelled', 'The run was cancelled with DELETE /runs/{run_id}.'));
      await ended;
    }
    return this.get(owner, runId);
  }

  /** Stops every live run of an app whose token was revoked. */
  cancelAllOf(app: string): void {
    for (const live of this.live.values()) {
      if (live.app === app) live.controller.abort(new ApiError('run_cancelled', 'The app token that started the run was revoked.'));
    }
  }

  /** Throws not_found unless `owner` may read the run. */
  checkOwner(owner: AuthenticatedApp, runId: string): void {
    this.owned(owner, runId);
  }

  /** Stored events after `afterSeq`, at most `limit`, in order. */
  storedEvents(runId: string, afterSeq: number, limit: number): RunEvent[] {
    return this.deps.repository.eventsSince(runId, afterSeq, limit);
  }

  /**
   * Calls `listener` with each new event after `afterSeq` as it happens, until
   * the run's last; null when the run is not live (it has ended). Call in the
   * same turn as the last read of stored events, so none falls in between.
   */
  attach(runId: string, afterSeq: number, listener: Listener): { done: Promise<void>; stop: () => void } | null {
    const live = this.live.get(runId);
    if (!live) return null;
    let stop = () => {};
    const done = new Promise<void>((resolve) => {
      const onEvent: Listener = (event) => {
        if (event.seq > afterSeq) listener(event);
        // The last event ends the stream whatever the reader said it saw (a Last-Event-ID past the end).
        if (isLastEvent(event)) {
          live.listeners.delete(onEvent);
          resolve();
        }
      };
      live.listeners.add(onEvent);
      stop = () => {
        live.listeners.delete(onEvent);
        resolve();
      };
    });
    return { done, stop: () => stop() };
  }

  /** Counts an open event stream of `app`; false past MAX_EVENT_STREAMS_PER_APP. Give it back with `streamClosed`. */
  streamOpened(app: string): boolean {
    const open = this.openStreams.get(app) ?? 0;
    if (open >= MAX_EVENT_STREAMS_PER_APP) return false;
    this.openStreams.set(app, open + 1);
    return true;
  }

  streamClosed(app: string): void {
    const open = (this.openStreams.get(app) ?? 1) - 1;
    if (open <= 0) this.openStreams.delete(app);
    else this.openStreams.set(app, open);
  }

  /**
   * At start-up: runs the previous process left unfinished cannot go on. Each
   * ends `error` with code `interrupted`, as its last event and in the audit
   * log, so none is lost and none stays "running". Returns how many.
   */
  interruptLeftovers(): number {
    const { repository, clock, db, logger } = this.deps;
    const leftovers = repository.unfinishedRuns();
    for (const row of leftovers) {
      const envelope = errorBody({ code: 'interrupted', message: 'The service restarted while the run was going; run it again.' }, row.request_id ?? undefined);
      const now = clock.now().toISOString();
      repository.finish(row.run_id, 'error', { seq: repository.lastEventSeq(row.run_id) + 1, type: 'error', data: envelope } as RunEvent, now);
      // Its app hears of it like of any other ending.
      const ended: FinishedRun = { runId: row.run_id, status: 'error', result: null, error: envelope, at: now };
      this.safely(row.run_id, () => this.deps.onFinished?.({ app: row.app, tokenCreatedAt: row.token_created_at }, ended));
      try {
        insertRun(db, interruptedAuditRow(row, now));
      } catch (err) {
        // The row was written just before the crash: the run had ended after all.
        logger.debug({ err, run_id: row.run_id }, 'interrupted run already audited');
      }
    }
    return leftovers.length;
  }

  /** Deletes runs (and their events) finished longer ago than the retention, a little at a time; returns how many. */
  async prune(retentionHours: number): Promise<number> {
    const { repository, clock } = this.deps;
    const cutoff = new Date(clock.now().getTime() - retentionHours * 3_600_000).toISOString();
    const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));
    let total = 0;
    for (;;) {
      const runIds = repository.finishedBeforeCutoff(cutoff, PRUNE_RUNS_PER_STEP);
      for (const runId of runIds) {
        while (repository.deleteSomeEvents(runId, PRUNE_EVENTS_PER_STEP) === PRUNE_EVENTS_PER_STEP) await yieldToRequests();
        repository.deleteRunRow(runId);
      }
      total += runIds.length;
      if (runIds.length < PRUNE_RUNS_PER_STEP) return total;
      await yieldToRequests();
    }
  }

  private owned(owner: AuthenticatedApp, runId: string): AsyncRunRow {
    const row = this.deps.repository.get(runId);
    if (!row || row.app !== owner.name || row.token_created_at !== owner.tokenCreatedAt) throw notFound();
    return row;
  }

  /** Numbers, stores (within the bounds) and hands out one event. */
  private append(runId: string, live: LiveRun, type: RunEvent['type'], data: RunEvent['data']): void {
    if (live.truncated) return;
    const bytes = Buffer.byteLength(JSON.stringify(data));
    if (live.storedEvents >= MAX_STORED_EVENTS || live.storedBytes + bytes > MAX_STORED_EVENT_BYTES) {
      live.truncated = true; // no holes: nothing more but the last event
      return;
    }
    const event = { seq: ++live.seq, type, data } as RunEvent;
    if (!this.safely(runId, () => this.deps.repository.appendEvent(runId, event))) return;
    live.storedEvents += 1;
    live.storedBytes += bytes;
    for (const listener of [...live.listeners]) listener(event);
  }

  private finish(runId: string, live: LiveRun, owner: { app: string; tokenCreatedAt: string }, status: AsyncRunStatus, last: Pick<RunEvent, 'type' | 'data'>): void {
    const event = { seq: ++live.seq, ...last } as RunEvent;
    const at = this.deps.clock.now().toISOString();
    this.safely(runId, () => this.deps.repository.finish(runId, status, event, at));
    this.live.delete(runId);
    // Readers get the last event even if it could not be stored: none is left waiting.
    for (const listener of [...live.listeners]) listener(event);
    const ended: FinishedRun = {
      runId,
      status,
      at,
      result: event.type === 'result' ? event.data : null,
      error: event.type === 'error' ? event.data : null,
    };
    this.safely(runId, () => this.deps.onFinished?.(owner, ended));
  }

  /** A storage failure is logged, never thrown into the run or its readers; false when it failed. */
  private safely(runId: string, write: () => void): boolean {
    try {
      write();
      return true;
    } catch (err) {
      this.deps.logger.error({ err, run_id: runId }, 'async run event could not be stored');
      return false;
    }
  }
}

function interruptedAuditRow(row: AsyncRunRow, now: string) {
  return {
    id: row.run_id, app: row.app, model: row.model, prompt: null, prompt_chars: 0, system_chars: 0, file_count: 0, response_chars: null,
    status: 'error', error_code: 'interrupted', exit_code: null, stop_reason: null, session_id: null, input_tokens: null, output_tokens: null,
    cost_usd: null, queue_wait_ms: 0, duration_ms: Date.parse(now) - Date.parse(row.created_at), created_at: row.created_at, request_id: row.request_id,
  };
}
