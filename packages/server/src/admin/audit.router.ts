// GET /admin/audit: the admin action log (who minted, changed, rotated or
// revoked which token, when), newest first, keyset-paginated.
import { adminActionPageSchema, listAdminActionsInputSchema } from '@clawdforge/shared';
import { cursorKey } from '../db/keyset-page.js';
import { adminProcedure } from '../trpc.js';
import { listAdminActions } from './admin-actions.repository.js';

export const listAdminActionsProcedure = adminProcedure
  .meta({ openapi: { tags: ['admin'], protect: true, method: 'GET', path: '/admin/audit', operationId: 'listAdminActions', summary: 'The admin action log, newest first' } })
  .input(listAdminActionsInputSchema)
  .output(adminActionPageSchema)
  .query(({ ctx, input }) => listAdminActions(ctx.services.db, input.limit, cursorKey(input.cursor)));
