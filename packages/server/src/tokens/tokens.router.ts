import {
  createdTokenSchema,
  createTokenInputSchema,
  revokedTokenSchema,
  revokeTokenInputSchema,
  tokenListSchema,
  tokenInfoSchema,
  updateTokenInputSchema,
  rotateTokenInputSchema,
  rotatedTokenSchema,
  tokenNameRefSchema,
  updatedTokenSchema,
  webhookSecretSchema,
} from '@clawdforge/shared';
import { z } from 'zod';
import { adminProcedure, router, type Context } from '../trpc.js';
import type { Actor } from '../admin/admin-actions.repository.js';
import { listAdminActionsProcedure } from '../admin/audit.router.js';
import { createAppToken, listAppTokens, revokeAppToken, rotateAppToken, rotateWebhookSecret, updateAppToken } from './token-service.js';

const ADMIN = { tags: ['admin'], protect: true };

const actorOf = (ctx: Context): Actor => ({ actor: ctx.peer, requestId: ctx.requestId });

export const tokensRouter = router({
  create: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/tokens', operationId: 'createToken', summary: 'Mint an app token (the plaintext is shown once)' } })
    .input(createTokenInputSchema)
    .output(createdTokenSchema)
    .mutation(({ ctx, input }) => createAppToken(ctx.services.db, ctx.services.clock, input, actorOf(ctx), ctx.services.config)),

  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/tokens', operationId: 'listTokens', summary: 'List app tokens (never their secrets)' } })
    .input(z.void())
    .output(tokenListSchema)
    .query(({ ctx }) => listAppTokens(ctx.services.db, ctx.services.clock, ctx.services.files.storage)),

  update: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'PATCH', path: '/admin/tokens/{name}', operationId: 'updateToken', summary: "Change a token's addresses or policy (fields given only; null lifts a limit)" } })
    .input(updateTokenInputSchema)
    .output(updatedTokenSchema)
    .mutation(({ ctx, input }) => updateAppToken(ctx.services.db, ctx.services.clock, input, actorOf(ctx), ctx.services.config)),

  rotate: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/tokens/{name}/rotate', operationId: 'rotateToken', summary: 'A new plaintext for the same app and policy; the old one works for grace_secs more' } })
    .input(rotateTokenInputSchema)
    .output(rotatedTokenSchema)
    .mutation(({ ctx, input }) => rotateAppToken(ctx.services.db, ctx.services.clock, input, actorOf(ctx))),

  revoke: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'DELETE', path: '/admin/tokens/{name}', operationId: 'revokeToken', summary: 'Revoke an app token, delete its files and cancel its async runs' } })
    .input(revokeTokenInputSchema)
    .output(revokedTokenSchema)
    .mutation(async ({ ctx, input }) => {
      const revoked = await revokeAppToken(ctx.services.db, ctx.services.clock, ctx.services.files.service, input.name, actorOf(ctx));
      ctx.services.asyncRuns.cancelAllOf(input.name); // its async runs stop; a later token of the name cannot see them
      await ctx.services.sessions.sweepExpired(); // its sessions end now, their directories and histories removed
      return revoked;
    }),

  webhookSecret: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/tokens/{name}/webhook-secret', operationId: 'rotateWebhookSecret', summary: "A new signing secret for the token's webhook (shown once)" } })
    .input(tokenNameRefSchema)
    .output(webhookSecretSchema)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.services.db, ctx.services.clock, input.name, actorOf(ctx))),

  // GET /admin/audit: defined with the other admin reads (admin/audit.router.ts); its tRPC name stays tokens.actions.
  actions: listAdminActionsProcedure,
});
