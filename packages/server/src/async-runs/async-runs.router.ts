import { asyncRunAcceptedSchema, asyncRunSchema, runIdInputSchema, runRequestSchema } from '@clawdforge/shared';
import { appProcedure, router } from '../trpc.js';

const RUNS = { tags: ['runs'], protect: true };

export const asyncRunsRouter = router({
  start: appProcedure
    .meta({
      openapi: {
        ...RUNS,
        method: 'POST',
        path: '/runs',
        operationId: 'startRun',
        summary: 'Start a run that outlives the request: 202 once it is queued',
        description:
          'The body is POST /run\'s. Refusals (policy, quota, a full queue) are answered at once, as for POST /run. The run goes on if the caller goes away; DELETE /runs/{run_id} cancels it. Its events: GET /runs/{run_id}/events (Server-Sent Events of RunEvent, resumable with Last-Event-ID).',
      },
    })
    .input(runRequestSchema)
    .output(asyncRunAcceptedSchema)
    .mutation(({ ctx, input }) => ctx.services.asyncRuns.startRun(ctx.app, input, ctx.requestId)),

  get: appProcedure
    .meta({ openapi: { ...RUNS, method: 'GET', path: '/runs/{run_id}', operationId: 'getAsyncRun', summary: "An async run's status, and its result or error once done (own runs only)" } })
    .input(runIdInputSchema)
    .output(asyncRunSchema)
    .query(({ ctx, input }) => ctx.services.asyncRuns.get(ctx.app, input.run_id)),

  cancel: appProcedure
    .meta({ openapi: { ...RUNS, method: 'DELETE', path: '/runs/{run_id}', operationId: 'cancelAsyncRun', summary: 'Cancel an async run (own runs only); answers how it stands after' } })
    .input(runIdInputSchema)
    .output(asyncRunSchema)
    .mutation(({ ctx, input }) => ctx.services.asyncRuns.cancel(ctx.app, input.run_id)),
});
