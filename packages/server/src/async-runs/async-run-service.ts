// Async runs: POST /runs starts a run that outlives its request. It is the same
// run as POST /run (policy, quotas, queue, audit row), started with a signal of
// its own, so a caller going away does not cancel it; DELETE does. Every event
// is stored as it happens, numbered, so a reader of /runs/{id}/events can start
// over or resume after the last it saw; live readers get them as they come.
import type { AsyncRun, AsyncRunAccepted, AsyncRunStatus, ErrorCode, RunEvent } from '@clawdforge/shared';
import type { Logger } from 'pino';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { ApiError, toPublicError } from '../errors.js';
import { errorBody } from '../http/send.js';
import { insertRun } from '../runs/runs.repository.js';
import type { Db } from '../db/database.js';
import { newRunId, type RunInput, type RunProgress, type RunService } from '../runs/run-service.js';
import type { AsyncRunsRepository, AsyncRunRow } from './async-runs.repository.js';

/** Most events stored for one run, and most bytes of their data: past either, only the last event is kept. */
export const MAX_STORED_EVENTS = 10_000;
export const MAX_STORED_EVENT_BYTES = 8 * 1024 * 1024;
const PRUNE_BATCH = 500;

/** How a failed run's error code reads as its status (the audit log's words). */
const STATUS_OF_CODE: Partial<Record<ErrorCode, AsyncRunStatus>> = {
  claude_timeout: 'timeout',
  claude_stalled: 'timeout',
  run_cancelled: 'cancelled',
  shutting_down: 'cancelled',
};

type Listener = (event: RunEvent) => void;

/** A run of this process still going: how to stop it, and who reads its events live. */
interface LiveRun {
  app: string;
  controller: AbortController;
  seq: number;
  storedEvents: number;
  storedBytes: number;
  listeners: Set<Listener>;
}

export interface AsyncRunDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  runs: RunService;
  repository: AsyncRunsRepository;
}

const NOT_FOUND = () => new ApiError('not_found', 'No such run: it never was, it is another app\'s, or it was pruned.');

export class AsyncRuns {
  private readonly live = new Map<string, LiveRun>();

  constructor(private readonly deps: AsyncRunDeps) {}

  /**
   * Starts a run detached from the request; resolves once it is queued, or
   * rejects with the refusal (policy, quota, a full queue) as POST /run would.
   */
  start(caller: AuthenticatedApp, input: RunInput, requestId: string): Promise<AsyncRunAccepted> {
    const { runs, repository, clock, config } = this.deps;
    const runId = newRunId();
    const controller = new AbortController();
    let live: LiveRun | undefined;
    return new Promise<AsyncRunAccepted>((accepted, refused) => {
      const onProgress = (event: RunProgress) => {
        if (!live) {
          // The first event is `queued`: the run is admitted, and from here on it exists for its app.
          live = { app: caller.name, controller, seq: 0, storedEvents: 0, storedBytes: 0, listeners: new Set() };
          repository.create({ run_id: runId, app: caller.name, model: input.model ?? config.defaultModel, request_id: requestId, created_at: clock.now().toISOString() });
          this.live.set(runId, live);
          accepted({ run_id: runId, status: 'queued', status_url: `/runs/${runId}`, events_url: `/runs/${runId}/events` });
        }
        if (event.type === 'started') repository.markRunning(runId);
        this.append(runId, live, event.type, event.data);
      };
      runs.run(caller, input, { signal: controller.signal, requestId, onProgress, runId }).then(
        (response) => live && this.finish(runId, live, 'ok', { type: 'result', data: response }),
        (error: unknown) => {
          if (!live) return refused(error);
          const envelope = errorBody(toPublicError(error), requestId);
          this.finish(runId, live, STATUS_OF_CODE[envelope.error.code] ?? 'error', { type: 'error', data: envelope });
        },
      );
    });
  }

  /** The run as its app sees it; not_found for any other app. */
  get(app: string, runId: string): AsyncRun {
    const row = this.owned(app, runId);
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
  async cancel(app: string, runId: string): Promise<AsyncRun> {
    this.owned(app, runId);
    const live = this.live.get(runId);
    if (live) {
      const ended = new Promise<void>((resolve) => live.listeners.add((event) => (event.type === 'result' || event.type === 'error') && resolve()));
      live.controller.abort(new ApiError('run_cancelled', 'The run was cancelled with DELETE /runs/{run_id}.'));
      await ended;
    }
    return this.get(app, runId);
  }

  /**
   * Calls `listener` with each stored event after `afterSeq`, then each new one
   * as it happens; resolves when the run's last event has been given (at once
   * for a finished run). `stop` detaches early (the reader went away).
   */
  follow(app: string, runId: string, afterSeq: number, listener: Listener): { done: Promise<void>; stop: () => void } {
    this.owned(app, runId);
    // Stored and live are read in one turn of the event loop: nothing can be appended in between.
    const stored = this.deps.repository.eventsSince(runId, afterSeq);
    const live = this.live.get(runId);
    let last = afterSeq;
    let stop = () => {};
    const done = new Promise<void>((resolve) => {
      for (const event of stored) {
        listener(event);
        last = event.seq;
      }
      if (!live) return resolve();
      const onEvent: Listener = (event) => {
        if (event.seq <= last) return;
        last = event.seq;
        listener(event);
        if (event.type === 'result' || event.type === 'error') {
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
      try {
        insertRun(db, interruptedAuditRow(row, now));
      } catch (err) {
        // The row was written just before the crash: the run had ended after all.
        logger.debug({ err, run_id: row.run_id }, 'interrupted run already audited');
      }
    }
    return leftovers.length;
  }

  /** Deletes runs (and their events) finished longer ago than the retention; returns how many. */
  async prune(retentionHours: number): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - retentionHours * 3_600_000).toISOString();
    let total = 0;
    for (;;) {
      const deleted = this.deps.repository.prune(cutoff, PRUNE_BATCH);
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private owned(app: string, runId: string): AsyncRunRow {
    const row = this.deps.repository.get(runId);
    if (!row || row.app !== app) throw NOT_FOUND();
    return row;
  }

  /** Numbers, stores (within the bounds) and hands out one event. */
  private append(runId: string, live: LiveRun, type: RunEvent['type'], data: RunEvent['data']): void {
    const text = JSON.stringify(data);
    if (live.storedEvents >= MAX_STORED_EVENTS || live.storedBytes + text.length > MAX_STORED_EVENT_BYTES) return;
    const event = { seq: ++live.seq, type, data } as RunEvent;
    this.deps.repository.appendEvent(runId, event);
    live.storedEvents += 1;
    live.storedBytes += text.length;
    for (const listener of [...live.listeners]) listener(event);
  }

  private finish(runId: string, live: LiveRun, status: AsyncRunStatus, last: Pick<RunEvent, 'type' | 'data'>): void {
    const event = { seq: ++live.seq, ...last } as RunEvent;
    this.deps.repository.finish(runId, status, event, this.deps.clock.now().toISOString());
    this.live.delete(runId);
    for (const listener of [...live.listeners]) listener(event);
  }
}

function interruptedAuditRow(row: AsyncRunRow, now: string) {
  return {
    id: row.run_id, app: row.app, model: row.model, prompt: null, prompt_chars: 0, system_chars: 0, file_count: 0, response_chars: null,
    status: 'error', error_code: 'interrupted', exit_code: null, stop_reason: null, session_id: null, input_tokens: null, output_tokens: null,
    cost_usd: null, queue_wait_ms: 0, duration_ms: Date.parse(now) - Date.parse(row.created_at), created_at: row.created_at, request_id: row.request_id,
  };
}
