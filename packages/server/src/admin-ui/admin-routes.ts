// The dashboard's own routes: its files (/admin/ui), its session
// (/admin/session: sign in with the admin token, see it, log out) and the
// live view of runs (/admin/live, Server-Sent Events).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { adminSessionOf, checkAdminRequest, sameOrigin } from '../auth/admin-auth.js';
import { ApiError } from '../errors.js';
import { EventStreamWriter } from '../http/event-stream.js';
import { sendJson } from '../http/send.js';
import type { Services } from '../services.js';
import { secretsEqual } from '../tokens/token-secret.js';
import { PAGE_HEADERS } from './admin-ui-files.js';
import { clearedSessionCookie, sessionCookie } from './admin-sessions.js';

const signInSchema = z.strictObject({ token: z.string().min(1).max(4096) });
/** Most live views open at once: each holds a connection and a listener. */
const MAX_LIVE_STREAMS = 8;
/** At most one snapshot this often, however busy the queue. */
const SNAPSHOT_EVERY_MS = 250;
let liveStreams = 0;

const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  sendJson(res, status, body, { 'cache-control': 'no-store', ...PAGE_HEADERS, ...headers });

/**
 * POST /admin/session {token}: the admin token exchanged for a session cookie;
 * GET: the session's expiry and CSRF token (for a page reloaded);
 * DELETE: log out, the session ended at once.
 */
export async function handleAdminSession(req: IncomingMessage, res: ServerResponse, services: Services, peer: string, readBody: () => Promise<unknown>): Promise<void> {
  const { config, adminSessions } = services;
  if (!config.adminToken) throw new ApiError('admin_disabled', 'Admin API disabled: set ADMIN_BOOTSTRAP_TOKEN and restart the service.');
  if (req.method === 'POST') {
    // A page elsewhere must not sign a browser in (to a session of its choosing) either.
    if (req.headers.origin !== undefined && !sameOrigin(req.headers)) throw new ApiError('csrf_failed', 'Sign in from the dashboard itself (its Origin header).');
    const input = signInSchema.safeParse(await readBody());
    if (!input.success) throw new ApiError('invalid_request', 'token: send the admin token as {"token": "..."}.');
    if (!secretsEqual(input.data.token, config.adminToken)) throw new ApiError('unauthorized', 'Wrong admin token.');
    const session = adminSessions.create(config.adminToken, peer);
    return answer(res, 201, { csrf_token: session.csrfToken, expires_at: session.expiresAt }, { 'set-cookie': sessionCookie(session.secret) });
  }
  if (req.method === 'DELETE') {
    const refusal = checkAdminRequest(config, adminSessions, { method: 'DELETE', headers: { ...req.headers, authorization: undefined } });
    const found = adminSessionOf(config, adminSessions, req.headers);
    if (found && !refusal) adminSessions.end(found.secret);
    else if (found && refusal) throw new ApiError(refusal.code, refusal.message); // a page elsewhere cannot log the browser out
    return answer(res, 200, { ok: true }, { 'set-cookie': clearedSessionCookie() });
  }
  const found = adminSessionOf(config, adminSessions, req.headers);
  if (!found) throw new ApiError('unauthorized', 'No admin session: sign in at /admin/ui.');
  return answer(res, 200, { csrf_token: found.session.csrfToken, expires_at: found.session.expiresAt });
}

/** GET /admin/live: a `snapshot` event with every run queued or running, at once and after each change. */
export function handleLiveRuns(res: ServerResponse, services: Services, heartbeatMs: number): void {
  if (liveStreams >= MAX_LIVE_STREAMS) throw new ApiError('server_busy', `${MAX_LIVE_STREAMS} live views are open already; close one first.`, { retryAfterSecs: 1 });
  liveStreams += 1;
  const stream = new EventStreamWriter(res, heartbeatMs, services.metrics);
  const { live } = services.runs;
  let timer: NodeJS.Timeout | undefined;
  const send = () => {
    timer = undefined;
    stream.sendOther('snapshot', { runs: live.snapshot() });
  };
  const stop = live.watch(() => {
    timer ??= setTimeout(send, SNAPSHOT_EVERY_MS);
  });
  res.once('close', () => {
    liveStreams -= 1;
    stop();
    clearTimeout(timer);
    stream.end();
  });
  send();
}
