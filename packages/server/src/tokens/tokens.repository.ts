import type { TokenInfo } from '@clawdforge/shared';
import type { Db } from '../db/database.js';
import type { TokensTable } from '../db/schema.js';

export interface AppTokenRecord {
  name: string;
  ipCidrs: string[];
}

function toInfo(row: Pick<TokensTable, 'name' | 'ip_cidrs' | 'created_at' | 'last_used_at'>): TokenInfo {
  return {
    name: row.name,
    ip_cidrs: JSON.parse(row.ip_cidrs) as string[],
    created_at: row.created_at,
    last_used_at: row.last_used_at,
  };
}

/** Inserts a token; returns false when the name is taken. */
export async function insertToken(db: Db, row: Omit<TokensTable, 'last_used_at'>): Promise<boolean> {
  const result = await db
    .insertInto('tokens')
    .values({ ...row, last_used_at: null })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listTokens(db: Db): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom('tokens')
    .select(['name', 'ip_cidrs', 'created_at', 'last_used_at'])
    .orderBy('name')
    .execute();
  return rows.map(toInfo);
}

/** Deletes a token by name; returns false when there was none. */
export async function deleteToken(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom('tokens').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function findTokenByHash(db: Db, tokenHash: string): Promise<AppTokenRecord | undefined> {
  const row = await db
    .selectFrom('tokens')
    .select(['name', 'ip_cidrs'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { name: row.name, ipCidrs: JSON.parse(row.ip_cidrs) as string[] };
}

/**
 * Sets last_used_at, at most once per `resolutionMs`: a busy app would otherwise
 * turn every request into a database write. A no-op update writes nothing.
 */
export async function touchToken(db: Db, name: string, at: Date, resolutionMs = 1000): Promise<void> {
  const staleBefore = new Date(at.getTime() - resolutionMs).toISOString();
  await db
    .updateTable('tokens')
    .set({ last_used_at: at.toISOString() })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}
