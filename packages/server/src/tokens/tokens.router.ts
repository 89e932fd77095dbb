import {
  createdTokenSchema,
  createTokenInputSchema,
  revokedTokenSchema,
  revokeTokenInputSchema,
  tokenListSchema,
} from '@clawdforge/shared';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { adminProcedure, router } from '../trpc.js';
import { deleteToken, insertToken, listTokens } from './tokens.repository.js';
import { generateAppToken, hashToken } from './token-secret.js';

const ADMIN = { tags: ['admin'], protect: true };

export const tokensRouter = router({
  create: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/tokens', operationId: 'createToken', summary: 'Mint an app token (the plaintext is shown once)' } })
    .input(createTokenInputSchema)
    .output(createdTokenSchema)
    .mutation(async ({ ctx, input }) => {
      const token = generateAppToken();
      const createdAt = ctx.services.clock.now().toISOString();
      const inserted = await insertToken(ctx.services.db, {
        name: input.name,
        token_hash: hashToken(token),
        ip_cidrs: JSON.stringify(input.ip_cidrs),
        created_at: createdAt,
      });
      if (!inserted) {
        throw new ApiError('conflict', `A token named "${input.name}" already exists: revoke it first or pick another name.`);
      }
      return { name: input.name, token, ip_cidrs: input.ip_cidrs, created_at: createdAt };
    }),

  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/tokens', operationId: 'listTokens', summary: 'List app tokens (never their secrets)' } })
    .input(z.void())
    .output(tokenListSchema)
    .query(async ({ ctx }) => ({ tokens: await listTokens(ctx.services.db) })),

  revoke: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'DELETE', path: '/admin/tokens/{name}', operationId: 'revokeToken', summary: 'Revoke an app token' } })
    .input(revokeTokenInputSchema)
    .output(revokedTokenSchema)
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteToken(ctx.services.db, input.name))) {
        throw new ApiError('not_found', `No token named "${input.name}".`);
      }
      await ctx.services.files.service.deleteAllOf(input.name);
      return { ok: true as const, name: input.name };
    }),
});
