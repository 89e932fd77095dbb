import { filesRouter } from './files/files.router.js';
import { healthRouter } from './health/health.router.js';
import { auditRouter } from './runs/audit.router.js';
import { runsRouter } from './runs/runs.router.js';
import { tokensRouter } from './tokens/tokens.router.js';
import { router } from './trpc.js';

export const appRouter = router({
  health: healthRouter,
  tokens: tokensRouter,
  runs: runsRouter,
  files: filesRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;

/** Procedures that create a resource: their REST twin answers 201, not 200. */
export const CREATED_PROCEDURES: ReadonlySet<string> = new Set(['tokens.create']);
