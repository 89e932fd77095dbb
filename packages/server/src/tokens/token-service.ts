// Minting, listing and revoking app tokens: one implementation behind both the
// admin API and the operator CLI, so they validate and answer alike.
import type { CreatedToken, RevokedToken, TokenList } from '@clawdforge/shared';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { FileService } from '../files/file-service.js';
import { deleteToken, insertToken, listTokens } from './tokens.repository.js';
import { generateAppToken, hashToken } from './token-secret.js';

export async function createAppToken(db: Db, clock: Clock, input: { name: string; ip_cidrs: string[] }): Promise<CreatedToken> {
  const token = generateAppToken();
  const createdAt = clock.now().toISOString();
  const inserted = await insertToken(db, {
    name: input.name,
    token_hash: hashToken(token),
    ip_cidrs: JSON.stringify(input.ip_cidrs),
    created_at: createdAt,
  });
  if (!inserted) throw new ApiError('conflict', `A token named "${input.name}" already exists: revoke it first or pick another name.`);
  return { name: input.name, token, ip_cidrs: input.ip_cidrs, created_at: createdAt };
}

export async function listAppTokens(db: Db): Promise<TokenList> {
  return { tokens: await listTokens(db) };
}

/** Revokes at once and deletes the app's files. */
export async function revokeAppToken(db: Db, files: FileService, name: string): Promise<RevokedToken> {
  if (!(await deleteToken(db, name))) throw new ApiError('not_found', `No token named "${name}".`);
  await files.deleteAllOf(name);
  return { ok: true, name };
}
