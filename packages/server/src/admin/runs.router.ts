// GET /admin/runs (the audit log, filtered and keyset-paginated), GET /admin/runs/{run_id}, and
// GET /admin/usage (figures over the audit log and its hourly rollup).
import { listRunsInputSchema, runDetailSchema, runPageSchema, runRefSchema, usageInputSchema, usageReportSchema } from '@clawdforge/shared';
import { ApiError } from '../errors.js';
import { adminProcedure, router } from '../trpc.js';
import { storedInstant } from '../db/instant.js';
import { cursorKey } from '../db/keyset-page.js';
import { findRun, listRuns } from './audit.repository.js';
import { usageFigures } from './usage.repository.js';

const ADMIN = { tags: ['admin'], protect: true };

export const auditRouter = router({
  list: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/runs', operationId: 'listRuns', summary: 'The audit log, newest first, filtered and keyset-paginated' } })
    .input(listRunsInputSchema)
    .output(runPageSchema)
    .query(async ({ ctx, input }) => {
      const { cursor, limit, since, until, ...filters } = input;
      const window = { since: since && storedInstant(since), until: until && storedInstant(until) };
      return listRuns(ctx.services.db, { ...filters, ...window }, limit, cursorKey(cursor));
    }),

  usage: adminProcedure
    .meta({ openapi: { ...ADMIN, method: 'GET', path: '/admin/usage', operationId: 'usage', summary: 'Runs, outcomes, latency percentiles, tokens and cost, grouped by app, model or day' } })
    .input(usageInputSchema)
    .output(usageReportSchema)
    .query(async ({ ctx, input }) => ({
      group_by: input.group_by,
      since: input.since ? storedInstant(input.since) : null,
      until: input.until ? storedInstant(input.until) : null,
      groups: await usageFigures(ctx.services.db, input.group_by, input.since, input.until),
    })),

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
