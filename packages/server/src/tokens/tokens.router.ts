import {
  createdTokenSchema,
  createTokenInputSchema,
  revokedTokenSchema,
  revokeTokenInputSchema,
  tokenListSchema,
} from '@clawdforge/shared';
import { z } from 'zod';
import { adminProcedure, router } from '../trpc.js';
import { createAppToken, listAppTokens, revokeAppToken } from './token-service.js';

const ADMIN = { tags: ['admin'], protect: true };

export const tokensRouter = router({
  create: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/tokens', operationId: 'createToken', summary: 'Mint an app token (the plaintext is shown once)' } })
    .input(createTokenInputSchema)
    .output(createdTokenSchema)
    .mutation(({ ctx, input }) => createAppToken(ctx.services.db, ctx.services.clock, input)),

  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/tokens', operationId: 'listTokens', summary: 'List app tokens (never their secrets)' } })
    .input(z.void())
    .output(tokenListSchema)
    .query(({ ctx }) => listAppTokens(ctx.services.db)),

  revoke: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'DELETE', path: '/admin/tokens/{name}', operationId: 'revokeToken', summary: 'Revoke an app token and delete its files' } })
    .input(revokeTokenInputSchema)
    .output(revokedTokenSchema)
    .mutation(({ ctx, input }) => revokeAppToken(ctx.services.db, ctx.services.files.service, input.name)),
});
