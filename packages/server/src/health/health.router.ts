import { healthSchema } from '@clawdforge/shared';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { publicProcedure, router } from '../trpc.js';

/** True when the database answers a trivial query. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export const healthRouter = router({
  check: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/healthz', operationId: 'health', tags: ['health'], protect: false, summary: 'Liveness, CLI version and login state' } })
    .input(z.void())
    .output(healthSchema)
    .query(async ({ ctx }) => {
      const { services } = ctx;
      const [claude, dbOk] = await Promise.all([services.claudeProbe.status(), databaseAnswers(services.db)]);
      return {
        ok: dbOk && claude.present,
        claude_present: claude.present,
        claude_version: claude.version,
        claude_logged_in: claude.loggedIn,
        claude_auth_method: claude.authMethod,
        db: dbOk ? ('ok' as const) : ('error' as const),
        uptime_s: Math.round((services.clock.now().getTime() - services.startedAt.getTime()) / 1000),
      };
    }),
});
