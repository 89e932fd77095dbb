// The dashboard's own routes: its session (/admin/session: sign in with the
// admin token, see it, log out) and the live view of runs (/admin/live,
// Server-Sent Events). Its files are served by admin-ui-files.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveSnapshot } from '@clawdforge/shared';
import { z } from 'zod';
import { recordAdminAction } from '../admin/admin-actions.repository.js';
import { adminSessionOf, sameOrigin, sessionChangeRefusal } from '../auth/admin-auth.js';
import { ApiError } from '../errors.js';
import { EventStreamWriter } from '../http/event-stream.js';
import { sendJson } from '../http/send.js';
import type { Services } from '../services.js';
import { secretsEqual } from '../tokens/token-secret.js';
import { PAGE_HEADERS } from './admin-ui-files.js';
import { clearedSessionCookie, sessionCookie } from './admin-sessions.js';

const signInSchema = z.strictObject({ token: z.string().min(1).max(4096) });
/** Live views open at once: per session (a tab each), and in all. Each holds a connection and a listener. */
const MAX_LIVE_STREAMS_PER_CALLER = 4;
const MAX_LIVE_STREAMS = 16;
/** At most one snapshot this often, however busy the queue. */
const SNAPSHOT_EVERY_MS = 250;
/** How often a live view checks that its session still holds (logout, expiry, a new admin token end it). */
const RECHECK_EVERY_MS = 5_000;
const liveStreams = new Map<string, number>();

const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  sendJson(res, status, body, { 'cache-control': 'no-store', ...PAGE_HEADERS, ...headers });

/**
 * POST /admin/session {token}: the admin token exchanged for a session cookie
 * (a session this browser held before ends);
 * GET: the session's expiry and CSRF token (for a page reloaded);
 * DELETE: log out, the session ended at once.
 */
export async function handleAdminSession(req: IncomingMessage, res: ServerResponse, services: Services, peer: string, readBody: () => Promise<unknown>): Promise<void> {
  const { config, adminSessions, db, clock } = services;
  if (!config.adminToken) throw new ApiError('admin_disabled', 'Admin API disabled: set ADMIN_BOOTSTRAP_TOKEN and restart the service.');
  const by = { actor: peer, requestId: null };
  const current = adminSessionOf(config, adminSessions, { headers: req.headers, peer });
  if (req.method === 'POST') {
    // A page elsewhere must not sign a browser in (to a session of its choosing) either.
    if (req.headers.origin !== undefined && !sameOrigin(req.headers)) throw new ApiError('csrf_failed', 'Sign in from the dashboard itself (its Origin header).');
    const input = signInSchema.safeParse(await readBody());
    if (!input.success) throw new ApiError('invalid_request', 'token: send the admin token as {"token": "..."}.');
    if (!secretsEqual(input.data.token, config.adminToken)) throw new ApiError('unauthorized', 'Wrong admin token.');
    if (current) adminSessions.end(current.secret);
    const session = adminSessions.create(config.adminToken, peer);
    await recordAdminAction(db, { at: clock.now().toISOString(), by, action: 'session.sign_in', target: 'dashboard', before: null, after: { expires_at: session.expiresAt } });
    return answer(res, 201, { csrf_token: session.csrfToken, expires_at: session.expiresAt }, { 'set-cookie': sessionCookie(session.secret) });
  }
  if (req.method === 'DELETE') {
    if (current) {
      // A page elsewhere cannot log the browser out: the same checks as any change.
      const refusal = sessionChangeRefusal(req.headers, current.session);
      if (refusal) throw new ApiError(refusal.code, refusal.message);
      adminSessions.end(current.secret);
      await recordAdminAction(db, { at: clock.now().toISOString(), by, action: 'session.sign_out', target: 'dashboard', before: null, after: null });
    }
    return answer(res, 200, { ok: true }, { 'set-cookie': clearedSessionCookie() });
  }
  if (!current) throw new ApiError('unauthorized', 'No admin session: sign in at /admin/ui.');
  return answer(res, 200, { csrf_token: current.session.csrfToken, expires_at: current.session.expiresAt });
}

/**
 * GET /admin/live: a `snapshot` event with every run queued or running, at
 * once and after each change. A view opened with a session ends when the
 * session does.
 */
export function handleLiveRuns(req: IncomingMessage, res: ServerResponse, services: Services, peer: string, heartbeatMs: number): void {
  const { config, adminSessions } = services;
  const viaSession = req.headers.authorization === undefined ? adminSessionOf(config, adminSessions, { headers: req.headers, peer }) : undefined;
  const caller = viaSession ? `session:${viaSession.secret}` : 'bearer';
  const callerStreams = liveStreams.get(caller) ?? 0;
  const allStreams = [...liveStreams.values()].reduce((sum, count) => sum + count, 0);
  if (callerStreams >= MAX_LIVE_STREAMS_PER_CALLER || allStreams >= MAX_LIVE_STREAMS) {
    throw new ApiError('server_busy', 'Too many live views are open already; close one first.', { retryAfterSecs: 1 });
  }
  liveStreams.set(caller, callerStreams + 1);
  const stream = new EventStreamWriter(res, heartbeatMs, services.metrics);
  const { live } = services.runs;
  const stillAllowed = () => !viaSession || adminSessionOf(config, adminSessions, { headers: req.headers, peer })?.secret === viaSession.secret;
  let timer: NodeJS.Timeout | undefined;
  const send = () => {
    timer = undefined;
    if (stillAllowed()) stream.sendOther('snapshot', { runs: live.snapshot() } satisfies LiveSnapshot);
    else res.destroy();
  };
  const stop = live.watch(() => {
    timer ??= setTimeout(send, SNAPSHOT_EVERY_MS);
  });
  const recheck = setInterval(() => stillAllowed() || res.destroy(), RECHECK_EVERY_MS);
  res.once('close', () => {
    const left = (liveStreams.get(caller) ?? 1) - 1;
    if (left > 0) liveStreams.set(caller, left);
    else liveStreams.delete(caller);
    stop();
    clearTimeout(timer);
    clearInterval(recheck);
    stream.end();
  });
  send();
}
