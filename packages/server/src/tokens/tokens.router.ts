import {
  createdTokenSchema,
  createTokenInputSchema,
  revokedTokenSchema,
  revokeTokenInputSchema,
  tokenListSchema,
  adminActionPageSchema,
  listAdminActionsInputSchema,
} from '@clawdforge/shared';
import { z } from 'zod';
import { cursorKey } from '../db/keyset-page.js';
import { adminProcedure, router, type Context } from '../trpc.js';
import { listAdminActions, type Actor } from './admin-actions.repository.js';
import { createAppToken, listAppTokens, revokeAppToken } from './token-service.js';

const ADMIN = { tags: ['admin'], protect: true };

const actorOf = (ctx: Context): Actor => ({ actor: ctx.peer, requestId: ctx.requestId });

export const tokensRouter = router({
  create: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/tokens', operationId: 'createToken', summary: 'Mint an app token (the plaintext is shown once)' } })
    .input(createTokenInputSchema)
    .output(createdTokenSchema)
    .mutation(({ ctx, input }) => createAppToken(ctx.services.db, ctx.services.clock, input, actorOf(ctx))),

  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/tokens', operationId: 'listTokens', summary: 'List app tokens (never their secrets)' } })
    .input(z.void())
    .output(tokenListSchema)
    .query(({ ctx }) => listAppTokens(ctx.services.db)),

  revoke: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'DELETE', path: '/admin/tokens/{name}', operationId: 'revokeToken', summary: 'Revoke an app token and delete its files' } })
    .input(revokeTokenInputSchema)
    .output(revokedTokenSchema)
    .mutation(({ ctx, input }) => revokeAppToken(ctx.services.db, ctx.services.clock, ctx.services.files.service, input.name, actorOf(ctx))),

  actions: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/audit', operationId: 'listAdminActions', summary: 'The admin action log, newest first' } })
    .input(listAdminActionsInputSchema)
    .output(adminActionPageSchema)
    .query(({ ctx, input }) => listAdminActions(ctx.services.db, input.limit, cursorKey(input.cursor))),
});
