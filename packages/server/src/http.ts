// The one node:http server. For every request, in this order and before a
// byte of its body is read: shutting down?, the IP allowlist, the route and
// method (404/405), the caller's token from the headers. Those checks return
// refusals as values, written once by one writer (send.ts), so a refused
// request costs little more than Node's own parsing. Only an admitted request
// has its body read (JSON within the budget, uploads streamed to disk) and is
// handed to its procedure (REST, called directly; see rest-call.ts), to tRPC,
// or to a route of the HTTP layer's own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS, type RunResponse } from '@clawdforge/shared';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { checkAdminRequest } from './auth/admin-auth.js';
import { handleAdminSession, handleLiveRuns } from './admin-ui/admin-routes.js';
import { PAGE_HEADERS } from './admin-ui/admin-ui-files.js';
import { checkAppToken, isRefusal, recheckApp, type AuthenticatedApp } from './auth/app-auth.js';
import { ApiError, toPublicError, type PublicError } from './errors.js';
import { handleUpload } from './files/upload-route.js';
import { handleReadiness } from './health/readiness.js';
import { checkMetricsToken, handleMetrics } from './metrics/metrics-route.js';
import { answerOnSocket, handleClientError } from './http/client-error.js';
import { ClientGoneError } from './http/client-gone.js';
import { guardConnections, socketPeer } from './http/connection-guard.js';
import { isJsonContentType, MAX_JSON_BODY_BYTES, readJsonBody } from './http/json-body.js';
import { bodyPending, dropUnreadBody, refuse } from './http/lingering-close.js';
import { PeerLogLimiter } from './http/peer-log-limiter.js';
import { requestIdFor } from './http/request-id.js';
import { logRequest } from './http/request-log.js';
import { queryInput, restProcedure, type RestProcedure } from './http/rest-call.js';
import { MAX_TRPC_BATCH, RouteTable, type Route } from './http/routes.js';
import { SSE_HEARTBEAT_MS, wantsEventStream } from './http/event-stream.js';
import { streamRun, type StreamedRunOptions } from './http/run-stream.js';
import { handleRunEvents } from './async-runs/run-events-route.js';
import { retryAfterHeader, sendJson, sendJsonText, trpcErrorBody } from './http/send.js';
import { SUCCESS_STATUS, type AppRouter } from './router.js';
import type { RunInput } from './runs/run-service.js';
import type { TurnInput } from './sessions/session-service.js';
import type { Services } from './services.js';
import type { Context, RequestState } from './trpc.js';

interface RequestScope {
  requestId: string;
  peer: string;
  state: RequestState;
  app?: AuthenticatedApp;
  signal?: AbortSignal;
  /** A health or metrics poll: logged at debug level when it succeeds, so pollers do not fill the log. */
  probe?: boolean;
  /** Let in as the admin by the headers (bearer, or a dashboard session with its CSRF token). */
  admin?: boolean;
  /** A HEAD request, answered as GET without a body. */
  head?: boolean;
}

const PROBES: ReadonlySet<string> = new Set(['healthz', 'readyz', 'metrics']);
/** Procedures that answer with Server-Sent Events when asked to (Accept: text/event-stream): each starts its run with the watcher given. */
const STREAMABLE_PROCEDURES: Readonly<Record<string, (services: Services, app: AuthenticatedApp, input: never, options: StreamedRunOptions) => Promise<RunResponse>>> = {
  'runs.run': (services, app, input: RunInput, options) => services.runs.run(app, input, options),
  'sessions.turn': (services, app, { session_id, ...turn }: TurnInput & { session_id: string }, options) => services.sessions.turn(app, session_id, turn, options),
};

/** How long a client may take: to send its headers, its whole request (uploads included), or the next piece of a body. */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  bodyIdleMs: number;
  /** Between a streamed run's events, how often a comment line goes out (default SSE_HEARTBEAT_MS). */
  sseHeartbeatMs?: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 120_000, bodyIdleMs: 15_000 };

export interface HttpServerOptions {
  services: Services;
  router: AppRouter;
  openApiDocument: object;
  timeouts?: HttpTimeouts;
}

type Refusal = PublicError & { allow?: string[] };
type Admitted = { route: Route; params: Record<string, string> };
type BodyRequest = IncomingMessage & { body?: unknown };

const NOT_FOUND: Refusal = { code: 'not_found', message: 'No such endpoint. See GET /openapi.json for the API.' };
const SHUTTING_DOWN: Refusal = { code: 'shutting_down', message: 'The service is shutting down; retry in a moment.', retryAfterSecs: 5 };
const NOT_A_PATH: Refusal = { code: 'invalid_request', message: 'The request target is not a valid path.' };
const NO_HOST: Refusal = { code: 'invalid_request', message: 'Send a valid Host header (HTTP/1.1 requires one).' };
/** A host name, an IPv4 or a bracketed IPv6 address, and an optional port; or nothing. */
const HOST = /^(?:[A-Za-z0-9._~%!$&'()*+,;=-]*|\[[0-9A-Fa-f:.]+\])(?::\d{0,5})?$/;
const MIXED_BATCH: Refusal = { code: 'invalid_request', message: 'A batch cannot mix queries (GET) and mutations (POST).' };
const TOO_MANY_CALLS: Refusal = { code: 'invalid_request', message: `A batch may name at most ${MAX_TRPC_BATCH} procedures.` };
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];

function methodNotAllowed(allow: string[]): Refusal {
  return { code: 'method_not_allowed', message: `This endpoint takes ${allow.filter((m) => m !== 'OPTIONS').join(', ')}.`, allow };
}

export function createHttpServer({ services, router, openApiDocument, timeouts = DEFAULT_HTTP_TIMEOUTS }: HttpServerOptions): Server {
  const { config, logger } = services;
  const routes = new RouteTable(router._def.procedures as never);
  const restProcedures = new WeakMap<Route, RestProcedure>();
  const openApiJson = JSON.stringify(openApiDocument);
  const budget = services.bodyBudget;
  const warnings = new PeerLogLimiter(logger);
  const strangers = new PeerLogLimiter(logger, { level: 'info', perMinute: 30, what: 'request lines' });
  const scopes = new WeakMap<IncomingMessage, RequestScope>();
  const onError = ({ error }: { error: unknown }) => {
    const publicError = toPublicError(error);
    if (publicError.code === 'internal') logger.error({ err: error }, 'unhandled error');
  };
  const trpcHandler = createHTTPHandler({
    router,
    createContext: ({ req, res }) => contextOf(req, res, scopes.get(req)!),
    basePath: '/trpc/',
    onError,
    maxBodySize: MAX_JSON_BODY_BYTES,
    maxBatchSize: MAX_TRPC_BATCH,
  });

  // Checked every 250 ms rather than Node's 30 s, so a slow client is refused close to its deadline.
  // Host is checked by handle(), so its absence is answered in JSON rather than Node's bare 400.
  const server = createServer(
    { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: 250, requireHostHeader: false },
    handle,
  );
  server.maxConnections = config.maxConnections;
  guardConnections(server, config.allowCidrs);
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => handleClientError(error, socket as Socket, warnings, logger));
  // No proxying here: without this listener Node would drop the connection without a word.
  server.on('connect', (_req: IncomingMessage, socket: Socket) => answerOnSocket(socket, 'method_not_allowed', 'CONNECT is not served here.'));
  // Answer `Expect: 100-continue` ourselves: the caller is checked before it is told to send its body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void handle(req, res, true));
  // Any other expectation is ignored (RFC 9110 allows it), where Node would answer a bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));
  return server;

  async function handle(req: IncomingMessage, res: ServerResponse, continueAfterChecks = false): Promise<void> {
    const startedAt = process.hrtime.bigint();
    const { peer, allowed } = socketPeer(req.socket, config.allowCidrs);
    const requestId = requestIdFor(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const scope: RequestScope = { requestId, peer, state: {} };
    const path = normalizeTarget(req);
    // The dashboard's answers, refusals included, carry its page headers (CSP, no framing, nosniff).
    if (path?.startsWith('/admin/ui') || path === '/admin/session') for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    res.once('close', () => {
      services.metrics.observeRequest(path ?? '/', req.method ?? 'GET', res.headersSent ? res.statusCode : 0);
      logRequest(logger, req, res, scope, startedAt, strangers);
    });

    try {
      // Inside the try: a database error in the token check is a JSON 500, not an unhandled rejection.
      const checked = check(req, res, path, allowed, scope);
      if (checked === null) return;
      if (isRefusal(checked)) return refuseWith(req, res, checked, path, requestId);
      scope.probe = PROBES.has(checked.route.target);
      if (continueAfterChecks && checked.route.target !== 'upload') res.writeContinue(); // the upload continues once its own checks pass
      if (req.method === 'HEAD') {
        req.method = 'GET'; // answered as GET; Node sends no body for HEAD
        scope.head = true;
      }
      if (checked.route.body === 'none') dropUnreadBody(req, res); // a GET with a body: not read, not drained for long
      scopes.set(req, scope);
      await dispatch(req, res, checked, scope);
    } catch (error) {
      if (error instanceof ClientGoneError) {
        logger.debug({ request_id: requestId, peer }, 'client went away while sending its request');
        res.destroy();
        return;
      }
      const publicError = toPublicError(error);
      if (publicError.code === 'internal') logger.error({ err: error, request_id: requestId }, 'unhandled error');
      try {
        refuseWith(req, res, publicError, path, requestId);
      } catch (writeError) {
        logger.error({ err: writeError, request_id: requestId }, 'could not answer');
        res.destroy();
      }
    }
  }

  /** The route and its parameters once every check from the headers passed; a refusal; or null after answering OPTIONS. */
  function check(req: IncomingMessage, res: ServerResponse, path: string | null, allowed: boolean, scope: RequestScope): Admitted | Refusal | null {
    if (services.lifecycle.shuttingDown) {
      res.setHeader('connection', 'close');
      return SHUTTING_DOWN;
    }
    if (!allowed) return { code: 'forbidden_ip', message: `Address ${scope.peer} is not allowed: add it to ALLOW_CIDRS.` };
    if (path === null) return NOT_A_PATH;
    const { host } = req.headers;
    if (host === undefined ? req.httpVersionMinor >= 1 : !HOST.test(host)) return NO_HOST;
    const admitted = routeOf(req, res, path);
    if (admitted === null || isRefusal(admitted)) return admitted;
    const refusal = authenticate(req, admitted.route, scope);
    return refusal ?? admitted;
  }

  function routeOf(req: IncomingMessage, res: ServerResponse, path: string): Admitted | Refusal | null {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      const allow = path === '*' ? ALL_METHODS : routes.allowFor(path);
      if (!allow) return NOT_FOUND;
      dropUnreadBody(req, res);
      res.writeHead(204, { allow: allow.join(', ') }).end();
      return null;
    }
    if (path.startsWith('/trpc/')) {
      const route = routes.trpcRoute(path.slice('/trpc/'.length), method);
      if (!route) return NOT_FOUND;
      if (route === 'mixed') return MIXED_BATCH;
      if (route === 'too_many') return TOO_MANY_CALLS;
      if ('allow' in route) return methodNotAllowed(route.allow);
      return { route, params: {} };
    }
    const match = routes.match(method, path);
    if (match.kind === 'not_found') return NOT_FOUND;
    if (match.kind === 'method_not_allowed') return methodNotAllowed(match.allow);
    return match;
  }

  /** The caller's credentials, from the headers alone; null when they pass. */
  function authenticate(req: IncomingMessage, route: Route, scope: RequestScope): Refusal | null {
    switch (route.access) {
      case 'app': {
        const app = checkAppToken(services, req.headers.authorization, scope.peer);
        if (isRefusal(app)) return app;
        scope.app = app;
        scope.state.app = app.name;
        return null;
      }
      case 'admin': {
        const refusal = checkAdminRequest(config, services.adminSessions, { method: req.method ?? 'GET', headers: req.headers, peer: scope.peer });
        if (!refusal) {
          scope.state.app = 'admin';
          scope.admin = true;
        }
        return refusal;
      }
      case 'metrics':
        return checkMetricsToken(config, req.headers.authorization);
      case 'public':
        return null;
    }
  }

  async function dispatch(req: BodyRequest, res: ServerResponse, { route, params }: Admitted, scope: RequestScope): Promise<void> {
    switch (route.target) {
      case 'upload':
        return handleUpload(req, res, services, scope.app!, timeouts.bodyIdleMs);
      case 'healthz':
        return sendJsonText(res, 200, (await services.health.current()).json);
      case 'readyz':
        return handleReadiness(res, services);
      case 'metrics':
        return handleMetrics(res, services);
      case 'openapi':
        return sendJsonText(res, 200, openApiJson);
      case 'run-events':
        return handleRunEvents(req, res, services, scope.app!, params.run_id!, timeouts.sseHeartbeatMs ?? SSE_HEARTBEAT_MS);
      case 'sdk':
        if (params.file === undefined) return services.sdk.list(res, req.headers.host);
        if (!services.sdk.serve(res, `/sdk/${params.file}`)) throw new ApiError('not_found', 'No such client file: GET /sdk lists them.');
        return;
      case 'admin-ui':
        if (!services.adminUi.serve(res, params.file)) throw new ApiError('not_found', 'No such file of the dashboard (is it built? npm run build).');
        return;
      case 'admin-session':
        return handleAdminSession(req, res, services, scope.peer, () => jsonBodyOf(req, res, scope));
      case 'admin-live':
        if (scope.head) return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end(); // a HEAD holds no stream open
        return handleLiveRuns(req, res, services, scope.peer, timeouts.sseHeartbeatMs ?? SSE_HEARTBEAT_MS);
      case 'trpc':
        if (route.body === 'json') {
          req.body = await jsonBodyOf(req, res, scope);
          req.headers['content-type'] = 'application/json';
        }
        delete req.headers['trpc-accept']; // answers are plain JSON: no streamed (jsonl) responses
        return trpcHandler(req, res);
      case 'rest':
        return callRest(req, res, route, params, scope);
    }
  }

  async function callRest(req: IncomingMessage, res: ServerResponse, route: Route, params: Record<string, string>, scope: RequestScope): Promise<void> {
    let procedure = restProcedures.get(route);
    if (!procedure) {
      procedure = restProcedure(route.procedure!.name, route.procedure!.call, route.method);
      restProcedures.set(route, procedure);
    }
    let input: unknown;
    if (procedure.takesInput) {
      const search = (req.url ?? '').split('?')[1] ?? '';
      const given = route.body === 'json' ? await jsonBodyOf(req, res, scope) : queryInput(search, procedure.arrayKeys);
      input = Object.keys(params).length === 0 ? given : { ...(given as object), ...params };
    }
    const checked = procedure.checkInput(input);
    if ('refusal' in checked) return refuseWith(req, res, checked.refusal, null, scope.requestId);
    const ctx = contextOf(req, res, scope);
    const streamable = STREAMABLE_PROCEDURES[procedure.name];
    if (streamable && wantsEventStream(req.headers.accept)) {
      const app = scope.app!;
      return streamRun(res, services, (options) => streamable(services, app, checked.data as never, options), {
        requestId: scope.requestId,
        signal: ctx.signal,
        heartbeatMs: timeouts.sseHeartbeatMs ?? SSE_HEARTBEAT_MS,
      });
    }
    const data = await procedure.call(ctx, input, ctx.signal);
    const status = SUCCESS_STATUS[procedure.name] ?? 200;
    if (data === undefined) res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': 0 }).end();
    else sendJson(res, status, data);
  }

  /** A procedure's context; its signal aborts when the client goes away before the answer is sent. */
  function contextOf(req: IncomingMessage, res: ServerResponse, scope: RequestScope): Context {
    if (!scope.signal) {
      const aborter = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) aborter.abort();
      });
      scope.signal = aborter.signal;
    }
    const { requestId, peer, state, app, signal, admin } = scope;
    return { services, authorization: req.headers.authorization, requestId, peer, state, app, signal, admin };
  }

  async function jsonBodyOf(req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<unknown> {
    if (isJsonContentType(req.headers['content-type'])) {
      // Budget shares by caller: each app its own (named apart from "admin"), the admin one, the public one.
      const caller = scope.app ? `app:${scope.app.name}` : (scope.state.app ?? 'public');
      const body = (await readJsonBody(req, res, { budget, caller, idleMs: timeouts.bodyIdleMs })) ?? {};
      if (scope.app) {
        // The body may have taken up to REQUEST_TIMEOUT to arrive: a token revoked meanwhile runs nothing,
        // and a policy changed meanwhile applies.
        const app = recheckApp(services, scope.app);
        if (isRefusal(app)) throw new ApiError(app.code, app.message);
        scope.app = app;
      }
      return body;
    }
    // `curl -X POST .../rotate` with nothing to say: every field has a default.
    if (!bodyPending(req) && req.headers['content-type'] === undefined) return {};
    throw new ApiError('unsupported_media_type', 'Send the body as application/json.');
  }
}

/** Writes a refusal: the REST envelope, or tRPC's error shape for /trpc/ paths; a lingering close when a body may still come. */
function refuseWith(req: IncomingMessage, res: ServerResponse, refusal: Refusal, path: string | null, requestId: string): void {
  const headers = refusal.allow ? { ...retryAfterHeader(refusal), allow: refusal.allow.join(', ') } : retryAfterHeader(refusal);
  refuse(req, res, refusal, headers, path?.startsWith('/trpc/') ? trpcRefusal(req, path, requestId) : undefined);
}

/** Writes a refusal of a /trpc/ path in tRPC's own error shape. */
function trpcRefusal(req: IncomingMessage, path: string, requestId: string) {
  const batch = /[?&]batch=1(&|$)/.test(req.url ?? '');
  return (res: ServerResponse, error: PublicError) =>
    sendJson(res, ERROR_STATUS[error.code], trpcErrorBody(error, path.slice('/trpc/'.length), batch, requestId), retryAfterHeader(error));
}

// Characters a path may have and still be its own normal form: no %, no backslash; dots only inside names.
const PLAIN_PATH = /^\/[A-Za-z0-9\-._~/,:@]*$/;
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

/**
 * The request's path, with dot segments, `%2e`, backslashes and an
 * absolute-form target (`POST http://host/run`) resolved the way URL parsers
 * resolve them; req.url is rewritten to match, so the route checked here is the
 * route tRPC and the procedures serve. `*` (OPTIONS *) stays as it is; null
 * when the target is not a path at all. Plain paths skip the URL parser.
 */
function normalizeTarget(req: IncomingMessage): string | null {
  const target = req.url ?? '/';
  const query = target.indexOf('?');
  const plain = query === -1 ? target : target.slice(0, query);
  if (PLAIN_PATH.test(plain) && !DOT_SEGMENT.test(plain)) return plain;
  if (target === '*') return target;
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target)) return null;
  let url: URL;
  try {
    url = new URL(target.startsWith('/') ? `http://localhost${target}` : target);
  } catch {
    return null;
  }
  req.url = url.pathname + url.search;
  return url.pathname;
}
