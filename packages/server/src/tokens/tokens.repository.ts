import { DEFAULT_TOKEN_POLICY, type TokenInfo, type TokenPolicy } from '@clawdforge/shared';
import type { Db } from '../db/database.js';
import type { TokensTable } from '../db/schema.js';

/** Stored policies omit defaults, so a default added later applies to old tokens too. */
export function parsePolicy(json: string): TokenPolicy {
  return { ...DEFAULT_TOKEN_POLICY, ...(JSON.parse(json) as Partial<TokenPolicy>) };
}

export function serializePolicy(policy: TokenPolicy): string {
  const differing = Object.entries(policy).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(DEFAULT_TOKEN_POLICY[key as keyof TokenPolicy]));
  return JSON.stringify(Object.fromEntries(differing));
}

type TokenRow = Pick<TokensTable, 'name' | 'ip_cidrs' | 'created_at' | 'last_used_at' | 'policy' | 'previous_expires_at'>;

function toInfo(row: TokenRow, now: Date): TokenInfo {
  const graceLeft = row.previous_expires_at !== null && row.previous_expires_at > now.toISOString();
  return {
    name: row.name,
    ip_cidrs: JSON.parse(row.ip_cidrs) as string[],
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    ...parsePolicy(row.policy),
    previous_token_expires_at: graceLeft ? row.previous_expires_at : null,
  };
}

const INFO_COLUMNS = ['name', 'ip_cidrs', 'created_at', 'last_used_at', 'policy', 'previous_expires_at'] as const;

/** Inserts a token; returns false when the name is taken. */
export async function insertToken(db: Db, row: Pick<TokensTable, 'name' | 'token_hash' | 'ip_cidrs' | 'created_at' | 'policy' | 'webhook_secret'>): Promise<boolean> {
  const result = await db
    .insertInto('tokens')
    .values({ ...row, last_used_at: null, previous_token_hash: null, previous_expires_at: null })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listTokens(db: Db, now: Date): Promise<TokenInfo[]> {
  const rows = await db.selectFrom('tokens').select(INFO_COLUMNS).orderBy('name').execute();
  return rows.map((row) => toInfo(row, now));
}

export async function findTokenInfo(db: Db, name: string, now: Date): Promise<TokenInfo | undefined> {
  const row = await db.selectFrom('tokens').select(INFO_COLUMNS).where('name', '=', name).executeTakeFirst();
  return row && toInfo(row, now);
}

export async function updateTokenSettings(db: Db, name: string, ipCidrs: string[], policy: TokenPolicy): Promise<void> {
  await db.updateTable('tokens').set({ ip_cidrs: JSON.stringify(ipCidrs), policy: serializePolicy(policy) }).where('name', '=', name).execute();
}

/** Replaces the token's hash; the old one keeps working until `previousExpiresAt` (null: not at all). */
export async function replaceTokenHash(db: Db, name: string, tokenHash: string, previousExpiresAt: string | null): Promise<void> {
  await db
    .updateTable('tokens')
    .set((eb) => ({
      previous_token_hash: previousExpiresAt === null ? null : eb.ref('token_hash'),
      previous_expires_at: previousExpiresAt,
      token_hash: tokenHash,
    }))
    .where('name', '=', name)
    .execute();
}

/** Sets (or, with null, removes) the webhook signing secret. */
export async function setWebhookSecret(db: Db, name: string, secret: string | null): Promise<void> {
  await db.updateTable('tokens').set({ webhook_secret: secret }).where('name', '=', name).execute();
}

/** Deletes a token by name; returns false when there was none. */
export async function deleteToken(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom('tokens').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

