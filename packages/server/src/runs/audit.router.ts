import { listRunsInputSchema, runDetailSchema, runPageSchema, runRefSchema } from '@clawdforge/shared';
import { ApiError } from '../errors.js';
import { adminProcedure, router } from '../trpc.js';
import { decodeCursor, encodeCursor, findRun, listRuns } from './audit.repository.js';

const ADMIN = { tags: ['admin'], protect: true };

export const auditRouter = router({
  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/runs', operationId: 'listRuns', summary: 'The audit log, newest first, filtered and keyset-paginated' } })
    .input(listRunsInputSchema)
    .output(runPageSchema)
    .query(async ({ ctx, input }) => {
      const { cursor, limit, ...filters } = input;
      const beforeSeq = cursor === undefined ? null : decodeCursor(cursor);
      if (cursor !== undefined && beforeSeq === null) throw new ApiError('invalid_request', 'cursor: must be a next_cursor from a previous page');
      const page = await listRuns(ctx.services.db, filters, limit, beforeSeq);
      return { runs: page.runs, next_cursor: page.lastSeq === null ? null : encodeCursor(page.lastSeq) };
    }),

  get: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/runs/{run_id}', operationId: 'getRun', summary: 'One audit row, with the prompt when it was stored' } })
    .input(runRefSchema)
    .output(runDetailSchema)
    .query(async ({ ctx, input }) => {
      const run = await findRun(ctx.services.db, input.run_id);
      if (!run) throw new ApiError('not_found', `No run ${input.run_id} in the audit log (it may have been pruned).`);
      return run;
    }),
});
