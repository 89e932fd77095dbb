// Webhook deliveries on prepared better-sqlite3 statements: each stays a row
// until it is delivered, given up, or disabled, so none is lost to a restart.
import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { WebhookDeliveriesTable } from '../db/schema.js';
import type { WebhookDelivery } from '@clawdforge/shared';
import { pageOf } from '../db/keyset-page.js';

/** A delivery as stored (its table's columns, seq included). */
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export class WebhookDeliveriesRepository {
  private readonly insertRow: SQLite.Statement<Record<string, unknown>>;
  private readonly dueRows: SQLite.Statement<[string, number], DeliveryRow>;
  private readonly nextDue: SQLite.Statement<[], { at: string | null }>;
  private readonly update: SQLite.Statement<Record<string, unknown>>;
  private readonly takeLease: SQLite.Statement<[string, string, string, string]>;
  private readonly settle: SQLite.Statement<Record<string, unknown>>;
  private readonly finishedBefore: SQLite.Statement<[string, number]>;
  private readonly disablePending: SQLite.Statement<[string, string, string]>;
  private readonly byId: SQLite.Statement<[string], DeliveryRow>;
  private readonly tokenRow: SQLite.Statement<[string, string], { webhook_secret: string | null; policy: string }>;

  constructor(private readonly sqlite: SQLite.Database) {
    this.insertRow = sqlite.prepare(
      `insert into webhook_deliveries (id, app, token_created_at, type, run_id, url, payload, status, attempts, next_attempt_at, created_at)
       values (@id, @app, @token_created_at, @type, @run_id, @url, @payload, 'pending', 0, @next_attempt_at, @created_at)`,
    );
    this.dueRows = sqlite.prepare("select * from webhook_deliveries where status = 'pending' and next_attempt_at <= ? order by next_attempt_at limit ?");
    this.nextDue = sqlite.prepare("select min(next_attempt_at) as at from webhook_deliveries where status = 'pending'");
    this.update = sqlite.prepare(
      `update webhook_deliveries set status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at,
       last_status = @last_status, last_error = @last_error, delivered_at = @delivered_at, lease = null where id = @id`,
    );
    // A lease moves next_attempt_at past the attempt's deadline: the row is not due again while it is sent,
    // and comes due again by itself if the process dies mid-attempt.
    this.takeLease = sqlite.prepare("update webhook_deliveries set lease = ?, next_attempt_at = ? where id = ? and status = 'pending' and next_attempt_at <= ?");
    this.settle = sqlite.prepare(
      `update webhook_deliveries set status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at,
       last_status = @last_status, last_error = @last_error, delivered_at = @delivered_at, url = @url, lease = null
       where id = @id and lease = @lease`,
    );
    this.finishedBefore = sqlite.prepare("delete from webhook_deliveries where seq in (select seq from webhook_deliveries where status != 'pending' and created_at < ? limit ?)");
    this.disablePending = sqlite.prepare("update webhook_deliveries set status = 'disabled', next_attempt_at = null, lease = null, last_error = ? where app = ? and token_created_at = ? and status = 'pending'");
    this.byId = sqlite.prepare('select * from webhook_deliveries where id = ?');
    this.tokenRow = sqlite.prepare('select webhook_secret, policy from tokens where name = ? and created_at = ?');
  }

  insert(row: Pick<DeliveryRow, 'id' | 'app' | 'token_created_at' | 'type' | 'run_id' | 'url' | 'payload' | 'next_attempt_at' | 'created_at'>): void {
    this.insertRow.run(row);
  }

  due(now: string, limit: number): DeliveryRow[] {
    return this.dueRows.all(now, limit);
  }

  nextDueAt(): string | null {
    return this.nextDue.get()?.at ?? null;
  }

  /** Sets a delivery's state outright (a redeliver): any attempt under way loses its lease. */
  save(row: Pick<DeliveryRow, 'id' | 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at'>): void {
    this.update.run(row);
  }

  /** Takes a due delivery for one attempt; false when it is no longer due (another attempt, a redeliver). */
  lease(id: string, lease: string, until: string, now: string): boolean {
    return this.takeLease.run(lease, until, id, now).changes === 1;
  }

  /** An attempt's outcome, written only while its lease still holds; false when it did not. */
  settleAttempt(row: Pick<DeliveryRow, 'id' | 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at' | 'url'>, lease: string): boolean {
    return this.settle.run({ ...row, lease }).changes === 1;
  }

  /** Deletes up to `limit` deliveries no longer pending, created before `cutoff`; returns how many. */
  prune(cutoff: string, limit: number): number {
    return this.finishedBefore.run(cutoff, limit).changes;
  }

  disableAllOf(app: string, tokenCreatedAt: string, reason: string): void {
    this.disablePending.run(reason, app, tokenCreatedAt);
  }

  get(id: string): DeliveryRow | undefined {
    return this.byId.get(id);
  }

  /** The token that owns deliveries (its name and mint time): its secret and policy, or undefined once revoked. */
  token(app: string, tokenCreatedAt: string): { webhook_secret: string | null; policy: string } | undefined {
    return this.tokenRow.get(app, tokenCreatedAt);
  }

  /** Newest first, filtered, keyset-paginated on seq. */
  list(filters: { app?: string | undefined; status?: string | undefined }, limit: number, before: number | null): { deliveries: WebhookDelivery[]; next_cursor: string | null } {
    const where = ['1 = 1'];
    const params: unknown[] = [];
    if (filters.app !== undefined) where.push('app = ?') && params.push(filters.app);
    if (filters.status !== undefined) where.push('status = ?') && params.push(filters.status);
    if (before !== null) where.push('seq < ?') && params.push(before);
    const rows = this.sqlite.prepare(`select * from webhook_deliveries where ${where.join(' and ')} order by seq desc limit ?`).all(...params, limit + 1) as DeliveryRow[];
    const { items, next_cursor } = pageOf(rows, limit, (row) => row.seq, toDelivery);
    return { deliveries: items, next_cursor };
  }
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  const { seq: _seq, token_created_at: _owner, payload: _payload, lease: _lease, ...rest } = row;
  return rest as WebhookDelivery;
}
