// Minting, changing, rotating, listing and revoking app tokens: one
// implementation behind both the admin API and the operator CLI, so they
// validate and answer alike. Every change is recorded in the admin action log
// in the same transaction, with the settings before and after (never a secret).
import {
  DEFAULT_TOKEN_POLICY,
  type CreatedToken,
  type RevokedToken,
  type RotatedToken,
  type TokenInfo,
  type TokenList,
  type RiskyTool,
  type TokenPolicy,
  type Cidr,
  type WebhookSecret,
  type UpdatedToken,
} from '@clawdforge/shared';
import { resolveWebhookTarget } from '../webhooks/webhook-target.js';
import { newWebhookSecret } from '../webhooks/signature.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { FileService } from '../files/file-service.js';
import { recordAdminAction, type Actor } from '../admin/admin-actions.repository.js';
import { checkGrantableTools } from './grantable-tools.js';
import { deleteToken, findTokenInfo, insertToken, listTokens, replaceTokenHash, serializePolicy, setWebhookSecret, updateTokenSettings } from './tokens.repository.js';
import { generateAppToken, hashToken } from './token-secret.js';

type PolicyChanges = { [K in keyof TokenPolicy]?: TokenPolicy[K] | undefined };

function policyOf(base: TokenPolicy, changes: PolicyChanges): TokenPolicy {
  const policy = { ...base };
  for (const key of Object.keys(DEFAULT_TOKEN_POLICY) as Array<keyof TokenPolicy>) {
    if (changes[key] !== undefined) (policy as Record<string, unknown>)[key] = changes[key];
  }
  return policy;
}

const notFound = (name: string) => new ApiError('not_found', `No token named "${name}".`);

/** The service's config as it bears on tokens: which risky tools may be granted, where webhooks may go. */
export interface TokenRules {
  allowedRiskyTools: readonly RiskyTool[];
  allowCidrs: readonly Cidr[];
  webhookAllowCidrs: readonly Cidr[];
}

/** A webhook_url being set: checked against the allowed addresses, and a new secret to sign with. */
async function newWebhook(url: string | null | undefined, rules: TokenRules): Promise<string | null> {
  if (!url) return null;
  await resolveWebhookTarget(url, [...rules.allowCidrs, ...rules.webhookAllowCidrs]);
  return newWebhookSecret();
}

export async function createAppToken(db: Db, clock: Clock, input: { name: string; ip_cidrs: string[] } & PolicyChanges, by: Actor, rules: TokenRules): Promise<CreatedToken> {
  checkGrantableTools(input.tools, rules.allowedRiskyTools);
  const token = generateAppToken();
  const createdAt = clock.now().toISOString();
  const policy = policyOf(DEFAULT_TOKEN_POLICY, input);
  const webhookSecret = await newWebhook(policy.webhook_url, rules);
  const inserted = await db.transaction().execute(async (trx) => {
    const row = {
      name: input.name,
      token_hash: hashToken(token),
      ip_cidrs: JSON.stringify(input.ip_cidrs),
      created_at: createdAt,
      policy: serializePolicy(policy),
      webhook_secret: webhookSecret,
    };
    const ok = await insertToken(trx, row);
    if (ok) {
      const after = { name: input.name, ip_cidrs: input.ip_cidrs, created_at: createdAt, ...policy };
      await recordAdminAction(trx, { at: createdAt, by, action: 'token.create', target: input.name, before: null, after });
    }
    return ok;
  });
  if (!inserted) throw new ApiError('conflict', `A token named "${input.name}" already exists: revoke it first or pick another name.`);
  return { name: input.name, token, ip_cidrs: input.ip_cidrs, created_at: createdAt, ...policy, webhook_secret: webhookSecret };
}

/** Changes the fields given (null lifts a limit); the plaintext stays the same. */
export async function updateAppToken(
  db: Db,
  clock: Clock,
  input: { name: string; ip_cidrs?: string[] | undefined } & PolicyChanges,
  by: Actor,
  rules: TokenRules,
): Promise<UpdatedToken> {
  checkGrantableTools(input.tools, rules.allowedRiskyTools);
  const now = clock.now();
  // A new webhook_url gets a new secret (checked before the transaction: the lookup is slow); null removes both;
  // the same URL sent again (a client sending the whole object) keeps the secret.
  const current = await findTokenInfo(db, input.name, now);
  if (!current) throw notFound(input.name);
  const urlChanges = input.webhook_url !== undefined && input.webhook_url !== current.webhook_url;
  const webhookSecret = urlChanges ? await newWebhook(input.webhook_url, rules) : null;
  const after = await db.transaction().execute(async (trx) => {
    const before = await findTokenInfo(trx, input.name, now);
    if (!before) throw notFound(input.name);
    const policy = policyOf(before, input);
    const ipCidrs = input.ip_cidrs ?? before.ip_cidrs;
    await updateTokenSettings(trx, input.name, ipCidrs, policy);
    if (urlChanges) await setWebhookSecret(trx, input.name, webhookSecret);
    const updated = { ...before, ...policy, ip_cidrs: ipCidrs };
    await recordAdminAction(trx, { at: now.toISOString(), by, action: 'token.update', target: input.name, before, after: updated });
    return updated;
  });
  return webhookSecret ? { ...after, webhook_secret: webhookSecret } : after;
}

/**
 * Switches a token's webhook off after its receiver answered 410 Gone: the
 * webhook_url and its secret are removed, as the admin action log records.
 * Nothing when the token is gone, is a later one of the same name, or has
 * another webhook_url by now (a 410 from an old receiver says nothing of it).
 */
export async function disableWebhook(db: Db, clock: Clock, name: string, tokenCreatedAt: string, url: string): Promise<void> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const before = await findTokenInfo(trx, name, now);
    if (!before || before.created_at !== tokenCreatedAt || before.webhook_url !== url) return;
    const policy = policyOf(before, { webhook_url: null });
    await updateTokenSettings(trx, name, before.ip_cidrs, policy);
    await setWebhookSecret(trx, name, null);
    const by = { actor: 'webhook receiver (410 Gone)', requestId: null };
    await recordAdminAction(trx, { at: now.toISOString(), by, action: 'token.update', target: name, before, after: { ...before, ...policy } });
  });
}

/** A new signing secret for the token's webhook, shown once; the old one stops signing at once. */
export async function rotateWebhookSecret(db: Db, clock: Clock, name: string, by: Actor): Promise<WebhookSecret> {
  const now = clock.now();
  const secret = newWebhookSecret();
  await db.transaction().execute(async (trx) => {
    const before = await findTokenInfo(trx, name, now);
    if (!before) throw notFound(name);
    if (!before.webhook_url) throw new ApiError('conflict', `The token "${name}" has no webhook_url: set one with PATCH /admin/tokens/${name}.`);
    await setWebhookSecret(trx, name, secret);
    await recordAdminAction(trx, { at: now.toISOString(), by, action: 'token.webhook_secret', target: name, before, after: before });
  });
  return { name, webhook_secret: secret };
}

/** A new plaintext for the same app and policy; the old one keeps working for `graceSecs`. */
export async function rotateAppToken(db: Db, clock: Clock, input: { name: string; grace_secs: number }, by: Actor): Promise<RotatedToken> {
  const now = clock.now();
  const token = generateAppToken();
  const previousExpiresAt = input.grace_secs > 0 ? new Date(now.getTime() + input.grace_secs * 1000).toISOString() : null;
  await db.transaction().execute(async (trx) => {
    const before = await findTokenInfo(trx, input.name, now);
    if (!before) throw notFound(input.name);
    await replaceTokenHash(trx, input.name, hashToken(token), previousExpiresAt);
    const after = { ...before, previous_token_expires_at: previousExpiresAt };
    await recordAdminAction(trx, { at: now.toISOString(), by, action: 'token.rotate', target: input.name, before, after });
  });
  return { name: input.name, token, previous_token_expires_at: previousExpiresAt };
}

/** Every token, with what its app stores now. */
export async function listAppTokens(db: Db, clock: Clock, storage: { usageByApp(): Promise<Map<string, { bytes: number; files: number }>> }): Promise<TokenList> {
  const [tokens, usage] = await Promise.all([listTokens(db, clock.now()), storage.usageByApp()]);
  return { tokens: tokens.map((token) => ({ ...token, stored_bytes: usage.get(token.name)?.bytes ?? 0, stored_files: usage.get(token.name)?.files ?? 0 })) };
}

/** Revokes at once (the plaintext kept by a rotation's grace too) and deletes the app's files. */
export async function revokeAppToken(db: Db, clock: Clock, files: FileService, name: string, by: Actor): Promise<RevokedToken> {
  const now = clock.now();
  const revoked = await db.transaction().execute(async (trx) => {
    const before = await findTokenInfo(trx, name, now);
    if (!before || !(await deleteToken(trx, name))) return false;
    await recordAdminAction(trx, { at: now.toISOString(), by, action: 'token.revoke', target: name, before, after: null });
    return true;
  });
  if (!revoked) throw notFound(name);
  await files.deleteAllOf(name);
  return { ok: true, name };
}
