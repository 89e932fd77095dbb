// Async runs and their stored events, on prepared better-sqlite3 statements:
// an event is written as it is sent (a reader may resume from it at once),
// synchronously, so no reader sees a gap between what is stored and what is live.
import type SQLite from 'better-sqlite3';
import type { AsyncRunStatus, RunEvent } from '@clawdforge/shared';

export interface AsyncRunRow {
  run_id: string;
  app: string;
  model: string;
  status: AsyncRunStatus;
  request_id: string | null;
  created_at: string;
  finished_at: string | null;
  outcome: string | null;
}

export class AsyncRunsRepository {
  private readonly insertRun: SQLite.Statement<[string, string, string, string, string | null, string]>;
  private readonly setStatus: SQLite.Statement<[string, string]>;
  private readonly finishRun: SQLite.Statement<[string, string, string, string]>;
  private readonly byId: SQLite.Statement<[string], AsyncRunRow>;
  private readonly insertEvent: SQLite.Statement<[string, number, string, string]>;
  private readonly eventsAfter: SQLite.Statement<[string, number], { seq: number; type: string; data: string }>;
  private readonly lastSeq: SQLite.Statement<[string], { seq: number | null }>;
  private readonly unfinished: SQLite.Statement<[], AsyncRunRow>;
  private readonly pruneBefore: SQLite.Statement<[string, number]>;

  constructor(private readonly sqlite: SQLite.Database) {
    this.insertRun = sqlite.prepare("insert into async_runs (run_id, app, model, status, request_id, created_at) values (?, ?, ?, ?, ?, ?)");
    this.setStatus = sqlite.prepare("update async_runs set status = ? where run_id = ? and finished_at is null");
    this.finishRun = sqlite.prepare('update async_runs set status = ?, outcome = ?, finished_at = ? where run_id = ?');
    this.byId = sqlite.prepare('select * from async_runs where run_id = ?');
    this.insertEvent = sqlite.prepare('insert into run_events (run_id, seq, type, data) values (?, ?, ?, ?)');
    this.eventsAfter = sqlite.prepare('select seq, type, data from run_events where run_id = ? and seq > ? order by seq');
    this.lastSeq = sqlite.prepare('select max(seq) as seq from run_events where run_id = ?');
    this.unfinished = sqlite.prepare("select * from async_runs where finished_at is null");
    this.pruneBefore = sqlite.prepare('delete from async_runs where run_id in (select run_id from async_runs where finished_at < ? limit ?)');
  }

  create(row: Pick<AsyncRunRow, 'run_id' | 'app' | 'model' | 'request_id' | 'created_at'>): void {
    this.insertRun.run(row.run_id, row.app, row.model, 'queued', row.request_id, row.created_at);
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

  /** Stored events after `seq`, in order. */
  eventsSince(runId: string, seq: number): RunEvent[] {
    return this.eventsAfter.all(runId, seq).map((row) => ({ seq: row.seq, type: row.type, data: JSON.parse(row.data) }) as RunEvent);
  }

  lastEventSeq(runId: string): number {
    return this.lastSeq.get(runId)?.seq ?? 0;
  }

  /** Runs not finished: at start-up, those the previous process left running. */
  unfinishedRuns(): AsyncRunRow[] {
    return this.unfinished.all();
  }

  /** Deletes at most `limit` runs (and their events) finished before `cutoff`; returns how many. */
  prune(cutoff: string, limit: number): number {
    return this.pruneBefore.run(cutoff, limit).changes;
  }
}
