import { accountsRouter } from './accounts/accounts.router.js';
import { asyncRunsRouter } from './async-runs/async-runs.router.js';
import { filesRouter } from './files/files.router.js';
import { healthRouter } from './health/health.router.js';
import { auditRouter } from './admin/runs.router.js';
import { runsRouter } from './runs/runs.router.js';
import { sessionsRouter } from './sessions/sessions.router.js';
import { tokensRouter } from './tokens/tokens.router.js';
import { webhooksRouter } from './webhooks/webhooks.router.js';
import { router } from './trpc.js';

export const appRouter = router({
  health: healthRouter,
  tokens: tokensRouter,
  runs: runsRouter,
  asyncRuns: asyncRunsRouter,
  files: filesRouter,
  audit: auditRouter,
  webhooks: webhooksRouter,
  sessions: sessionsRouter,
  accounts: accountsRouter,
});

export type AppRouter = typeof appRouter;

/** Procedures whose REST twin answers other than 200: 201 for a resource created, 202 for work accepted. */
export const SUCCESS_STATUS: Readonly<Record<string, 201 | 202>> = {
  'tokens.create': 201,
  'asyncRuns.start': 202,
  'sessions.create': 201,
  'sessions.fork': 201,
  'sessions.startTurn': 202,
};
