// GET /admin/accounts and each account's enable/disable.
import { accountListSchema, accountNameInputSchema, accountSchema } from '@clawdforge/shared';
import { z } from 'zod';
import { adminProcedure, router, type Context } from '../trpc.js';
import { setAccountEnabled, type AccountAdmin } from './account-service.js';

const ADMIN = { tags: ['admin'], protect: true };

const adminOf = (ctx: Context): AccountAdmin => ({ db: ctx.services.db, clock: ctx.services.clock, pool: ctx.services.accounts.pool, repository: ctx.services.accounts.repository });
const actorOf = (ctx: Context) => ({ actor: ctx.peer, requestId: ctx.requestId });

export const accountsRouter = router({
  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/accounts', operationId: 'listAccounts', summary: "The Claude accounts runs go to: each one's state, load and last reported rate limit windows" } })
    .input(z.void())
    .output(accountListSchema)
    .query(({ ctx }) => ({ accounts: ctx.services.accounts.pool.views() })),

  enable: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/accounts/{name}/enable', operationId: 'enableAccount', summary: 'Put an account back in rotation (also forgets a refused login and a cooldown)' } })
    .input(accountNameInputSchema)
    .output(accountSchema)
    .mutation(({ ctx, input }) => setAccountEnabled(adminOf(ctx), input.name, true, actorOf(ctx))),

  disable: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'POST', path: '/admin/accounts/{name}/disable', operationId: 'disableAccount', summary: 'Take an account out of rotation (runs on it now finish)' } })
    .input(accountNameInputSchema)
    .output(accountSchema)
    .mutation(({ ctx, input }) => setAccountEnabled(adminOf(ctx), input.name, false, actorOf(ctx))),
});
