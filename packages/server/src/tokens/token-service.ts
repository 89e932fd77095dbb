// Minting, listing and revoking app tokens: one implementation behind both the
// admin API and the operator CLI, so they validate and answer alike. Every
// change is recorded in the admin action log in the same transaction.
import type { CreatedToken, RevokedToken, TokenList } from '@clawdforge/shared';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { FileService } from '../files/file-service.js';
import { recordAdminAction, type Actor } from './admin-actions.repository.js';
import { deleteToken, insertToken, listTokens } from './tokens.repository.js';
import { generateAppToken, hashToken } from './token-secret.js';

export async function createAppToken(db: Db, clock: Clock, input: { name: string; ip_cidrs: string[] }, by: Actor): Promise<CreatedToken> {
  const token = generateAppToken();
  const createdAt = clock.now().toISOString();
  const inserted = await db.transaction().execute(async (trx) => {
    const ok = await insertToken(trx, { name: input.name, token_hash: hashToken(token), ip_cidrs: JSON.stringify(input.ip_cidrs), created_at: createdAt });
    if (ok) {
      const after = { name: input.name, ip_cidrs: input.ip_cidrs, created_at: createdAt };
      await recordAdminAction(trx, { at: createdAt, by, action: 'token.create', target: input.name, before: null, after });
    }
    return ok;
  });
  if (!inserted) throw new ApiError('conflict', `A token named "${input.name}" already exists: revoke it first or pick another name.`);
  return { name: input.name, token, ip_cidrs: input.ip_cidrs, created_at: createdAt };
}

export async function listAppTokens(db: Db): Promise<TokenList> {
  return { tokens: await listTokens(db) };
}

/** Revokes at once and deletes the app's files. */
export async function revokeAppToken(db: Db, clock: Clock, files: FileService, name: string, by: Actor): Promise<RevokedToken> {
  const revoked = await db.transaction().execute(async (trx) => {
    const before = (await listTokens(trx)).find((token) => token.name === name);
    if (!before || !(await deleteToken(trx, name))) return false;
    await recordAdminAction(trx, { at: clock.now().toISOString(), by, action: 'token.revoke', target: name, before, after: null });
    return true;
  });
  if (!revoked) throw new ApiError('not_found', `No token named "${name}".`);
  await files.deleteAllOf(name);
  return { ok: true, name };
}
