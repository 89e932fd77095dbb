import type { AdminAction } from '@clawdforge/shared';
import type { Db } from '../db/database.js';
import { pageOf } from '../db/keyset-page.js';

/** Who asked for an admin change: the admin's peer address (and request id), or the operator CLI. */
export interface Actor {
  actor: string;
  requestId: string | null;
}

export async function recordAdminAction(
  db: Db,
  entry: { at: string; by: Actor; action: AdminAction['action']; target: string; before: object | null; after: object | null },
): Promise<void> {
  await db
    .insertInto('admin_actions')
    .values({
      at: entry.at,
      actor: entry.by.actor,
      action: entry.action,
      target: entry.target,
      before: entry.before && JSON.stringify(entry.before),
      after: entry.after && JSON.stringify(entry.after),
      request_id: entry.by.requestId,
    })
    .execute();
}

/** Newest first, after `beforeId` when given; one extra row tells whether a next page exists. */
export async function listAdminActions(db: Db, limit: number, beforeId: number | null): Promise<{ actions: AdminAction[]; next_cursor: string | null }> {
  let query = db.selectFrom('admin_actions').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (beforeId !== null) query = query.where('id', '<', beforeId);
  const { items, next_cursor } = pageOf(await query.execute(), limit, (row) => row.id, (row) => ({
    ...row,
    action: row.action as AdminAction['action'],
    before: row.before === null ? null : (JSON.parse(row.before) as Record<string, unknown>),
    after: row.after === null ? null : (JSON.parse(row.after) as Record<string, unknown>),
  }));
  return { actions: items, next_cursor };
}
