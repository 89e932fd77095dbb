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
        description:
          'With `Accept: text/event-stream` the answer is a stream of Server-Sent Events, one per RunEvent (`id:` its seq, `event:` its type, `data:` its data), ending with `result` (this operation\'s 200 body) or `error` (an ErrorBody). Refusals before the run is queued are ordinary JSON errors.',
      },
    })
    .input(runRequestSchema)
    .output(runResponseSchema)
    .mutation(({ ctx, input }) => ctx.services.runs.run(ctx.app, input, { signal: ctx.signal, requestId: ctx.requestId })),
});
