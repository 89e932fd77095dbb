import { runRequestSchema, runResponseSchema } from '@clawdforge/shared';
import { appProcedure, router } from '../trpc.js';

export const runsRouter = router({
  run: appProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/run',
        operationId: 'run',
        tags: ['runs'],
        summary: 'Run a prompt through the Claude CLI and return the parsed answer',
      },
    })
    .input(runRequestSchema)
    .output(runResponseSchema)
    .mutation(({ ctx, input }) => ctx.services.runs.run(ctx.app, input, ctx.signal, ctx.requestId)),
});
