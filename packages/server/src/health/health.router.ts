import { healthSchema } from '@clawdforge/shared';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc.js';

export const healthRouter = router({
  // The REST path, GET /healthz, is answered by the HTTP layer from the same snapshot (http/routes.ts).
  check: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/healthz', operationId: 'health', tags: ['health'], protect: false, summary: 'Liveness, CLI version and login state' } })
    .input(z.void())
    .output(healthSchema)
    .query(async ({ ctx }) => (await ctx.services.health.current()).health),
});
