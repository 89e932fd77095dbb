// Async runs and their stored events, on prepared better-sqlite3 statements:
// an event is written as it is sent (a reader may resume from it at once),
// synchronously, so no reader sees a gap between what is stored and what is live.
import type SQLite from 'better-sqlite3';
import type { AsyncRunStatus, RunEvent } from '@clawdforge/shared';

export interface AsyncRunRow {
  run_id: string;
  app: string;
  token_created_at: string;
  model: string;
  status: AsyncRunStatus;
  request_id: string | null;
  created_at: string;
  finished_at: string | null;
  outcome: string | null;
}

export class AsyncRunsRepository {
  private readonly insertRun: SQLite.Statement<[string, string, string, string, string, string | null, string]>;
  private readonly setStatus: SQLite.Statement<[string, string]>;
  private readonly finishRun: SQLite.Statement<[string, string, string, string]>;
  private readonly byId: SQLite.Statement<[string], AsyncRunRow>;
  private readonly insertEvent: SQLite.Statement<[string, number, string, string]>;
  private readonly eventsAfter: SQLite.Statement<[string, number, number], { seq: number; type: string; data: string }>;
  private readonly lastSeq: SQLite.Statement<[string], { seq: number | null }>;
  private readonly unfinished: SQLite.Statement<[], AsyncRunRow>;
  private readonly finishedBefore: SQLite.Statement<[string, number], { run_id: string }>;
  private readonly deleteEvents: SQLite.Statement<[string, string, number]>;
  private readonly deleteRun: SQLite.Statement<[string]>;

  constructor(private readonly sqlite: SQLite.Database) {
    this.insertRun = sqlite.prepare('insert into async_runs (run_id, app, token_created_at, model, status, request_id, created_at) values (?, ?, ?, ?, ?, ?, ?)');
    this.setStatus = sqlite.prepare("update async_runs set status = ? where run_id = ? and finished_at is null");
    this.finishRun = sqlite.prepare('update async_runs set status = ?, outcome = ?, finished_at = ? where run_id = ?');
    this.byId = sqlite.prepare('select * from async_runs where run_id = ?');
    this.insertEvent = sqlite.prepare('insert into run_events (run_id, seq, type, data) values (?, ?, ?, ?)');
    this.eventsAfter = sqlite.prepare('select seq, type, data from run_events where run_id = ? and seq > ? order by seq limit ?');
    this.lastSeq = sqlite.prepare('select max(seq) as seq from run_events where run_id = ?');
    this.unfinished = sqlite.prepare("select * from async_runs where finished_at is null");
    this.finishedBefore = sqlite.prepare('select run_id from async_runs where finished_at < ? limit ?');
    this.deleteEvents = sqlite.prepare('delete from run_events where run_id = ? and seq in (select seq from run_events where run_id = ? order by seq limit ?)');
    this.deleteRun = sqlite.prepare('delete from async_runs where run_id = ?');
  }

  create(row: Pick<AsyncRunRow, 'run_id' | 'app' | 'token_created_at' | 'model' | 'request_id' | 'created_at'>): void {
    this.insertRun.run(row.run_id, row.app, row.token_created_at, row.model, 'queued', row.request_id, row.created_at);
  }

  markRunning(runId: string): void {
    this.setStatus.run('running', runId);
  }

  /** Stores the run's last event and how it ended, in one transaction: a reader never sees one without the other. */
  finish(runId: string, status: AsyncRunStatus, last: RunEvent, finishedAt: string): void {
    this.sqlite.transaction(() => {
      this.appendEvent(runId, last);
      this.finishRun.run(status, JSON.stringify(last.data), finishedAt, runId);
    })();
  }

  appendEvent(runId: string, event: RunEvent): void {
    this.insertEvent.run(runId, event.seq, event.type, JSON.stringify(event.data));
  }

  get(runId: string): AsyncRunRow | undefined {
    return this.byId.get(runId);
  }

  /** Stored events after `seq`, in order, at most `limit`. */
  eventsSince(runId: string, seq: number, limit: number): RunEvent[] {
    return this.eventsAfter.all(runId, seq, limit).map((row) => ({ seq: row.seq, type: row.type, data: JSON.parse(row.data) }) as RunEvent);
  }

  lastEventSeq(runId: string): number {
    return this.lastSeq.get(runId)?.seq ?? 0;
  }

  /** Runs not finished: at start-up, those the previous process left running. */
  unfinishedRuns(): AsyncRunRow[] {
    return this.unfinished.all();
  }

  /** Up to `limit` runs finished before `cutoff`. */
  finishedBeforeCutoff(cutoff: string, limit: number): string[] {
    return this.finishedBefore.all(cutoff, limit).map((row) => row.run_id);
  }

  /** Deletes up to `limit` of a run's events; returns how many. */
  deleteSomeEvents(runId: string, limit: number): number {
    return this.deleteEvents.run(runId, runId, limit).changes;
  }

  deleteRunRow(runId: string): void {
    this.deleteRun.run(runId);
  }
}
