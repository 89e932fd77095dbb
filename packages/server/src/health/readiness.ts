import type { Readiness } from '@clawdforge/shared';
import type { ServerResponse } from 'node:http';
import { sqliteOf } from '../db/database.js';
import { databaseAnswers } from './health-snapshot.js';
import { sendJson } from '../http/send.js';
import type { Services } from '../services.js';

/** Whether the service can serve runs now: the database answers, the CLI is there and has credentials. */
export async function checkReadiness(services: Services): Promise<Readiness> {
  const claude = await services.claudeProbe.status();
  const dbOk = databaseAnswers(sqliteOf(services.db));
  const db = dbOk ? ('ok' as const) : ('error' as const);
  const accounts = services.accounts.pool.readiness();
  // With accounts, one ready account is enough; without, the default login must have credentials.
  const canRun = accounts.length > 0 ? accounts.some((account) => account.state === 'ready') : claude.loggedIn === true;
  return {
    ready: db === 'ok' && claude.present && canRun,
    db,
    claude_present: claude.present,
    claude_logged_in: claude.loggedIn,
    last_auth_failure: services.runs.lastAuthFailure,
    accounts,
  };
}

/**
 * GET /readyz, outside tRPC because its status depends on the answer: 200 when
 * ready, 503 otherwise, with the same body either way.
 */
export async function handleReadiness(res: ServerResponse, services: Services): Promise<void> {
  const readiness = await checkReadiness(services);
  sendJson(res, readiness.ready ? 200 : 503, readiness, { 'cache-control': 'no-store' });
}
