// The one node:http server. For every request, in this order and before a
// byte of its body is read: shutting down?, the IP allowlist, the route and
// method (404/405), the caller's token from the headers. Only then is a body
// read (JSON within the budget, uploads streamed to disk), and the request
// handed to tRPC, the REST twin of the procedures, or a route of its own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS } from '@clawdforge/shared';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import { authenticateAdmin } from './auth/admin-auth.js';
import { authenticateApp } from './auth/app-auth.js';
import { isPeerAllowed, normalizePeer } from './auth/peer-access.js';
import { ApiError, toPublicError, type PublicError } from './errors.js';
import { handleUpload } from './files/upload-route.js';
import { handleReadiness } from './health/readiness.js';
import { checkMetricsToken, handleMetrics } from './metrics/metrics-route.js';
import { answerOnSocket, handleClientError } from './http/client-error.js';
import { ClientGoneError } from './http/client-gone.js';
import { isJsonContentType, MAX_JSON_BODY_BYTES, readJsonBody } from './http/json-body.js';
import { bodyPending, refuse } from './http/lingering-close.js';
import { guardConnections } from './http/connection-guard.js';
import { PeerLogLimiter } from './http/peer-log-limiter.js';
import { requestIdFor } from './http/request-id.js';
import { logRequestWhenDone } from './http/request-log.js';
import { RouteTable, type Route } from './http/routes.js';
import { retryAfterHeader, sendJson, trpcErrorBody } from './http/send.js';
import { CREATED_PROCEDURES, type AppRouter } from './router.js';
import type { Services } from './services.js';
import type { AuthenticatedApp } from './auth/app-auth.js';
import type { Context, RequestState } from './trpc.js';

interface RequestScope {
  requestId: string;
  peer: string;
  state: RequestState;
  signal: AbortSignal;
  app?: AuthenticatedApp;
}

/** How long a client may take: to send its headers, its whole request (uploads included), or the next piece of a body. */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  bodyIdleMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 120_000, bodyIdleMs: 15_000 };

export interface HttpServerOptions {
  services: Services;
  router: AppRouter;
  openApiDocument: object;
  timeouts?: HttpTimeouts;
}

type BodyRequest = IncomingMessage & { body?: unknown };

export function createHttpServer({ services, router, openApiDocument, timeouts = DEFAULT_HTTP_TIMEOUTS }: HttpServerOptions): Server {
  const { config, logger } = services;
  const routes = new RouteTable(router._def.procedures as never);
  const budget = services.bodyBudget;
  const warnings = new PeerLogLimiter(logger);
  const refusedStrangers = new PeerLogLimiter(logger, { level: 'info', perMinute: 30, what: 'request lines' });
  const scopes = new WeakMap<IncomingMessage, RequestScope>();
  const createContext = ({ req }: { req: IncomingMessage }): Context => {
    const scope = scopes.get(req)!;
    return { services, authorization: req.headers.authorization, ...scope };
  };
  const onError = ({ error }: { error: unknown }) => {
    const publicError = toPublicError(error);
    if (publicError.code === 'internal') logger.error({ err: error }, 'unhandled error');
  };

  const trpcHandler = createHTTPHandler({ router, createContext, basePath: '/trpc/', onError, maxBodySize: MAX_JSON_BODY_BYTES });
  const restHandler = createOpenApiNodeHttpHandler({
    router,
    createContext,
    onError,
    responseMeta: ({ errors, paths }) => {
      const [first] = errors;
      if (!first) return paths?.some((path) => CREATED_PROCEDURES.has(path)) ? { status: 201 } : {};
      const publicError = toPublicError(first);
      return { status: ERROR_STATUS[publicError.code], headers: retryAfterHeader(publicError) };
    },
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
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void handle(req, res, { continueAfterChecks: true }));
  // Any other expectation is ignored (RFC 9110 allows it), where Node would answer a bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));
  return server;

  async function handle(req: IncomingMessage, res: ServerResponse, options: { continueAfterChecks?: boolean } = {}): Promise<void> {
    const peer = normalizePeer(req.socket.remoteAddress);
    const requestId = requestIdFor(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const state: RequestState = {};
    const aborter = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    const scope: RequestScope = { requestId, peer, state, signal: aborter.signal };
    scopes.set(req, scope);
    logRequestWhenDone(logger, req, res, { requestId, peer, state, refusedStrangers });
    const path = normalizeTarget(req);
    res.once('close', () => services.metrics.observeRequest(path ?? '/', req.method ?? 'GET', res.headersSent ? res.statusCode : 0));

    try {
      if (services.lifecycle.shuttingDown) {
        res.setHeader('connection', 'close');
        throw new ApiError('shutting_down', 'The service is shutting down; retry in a moment.', { retryAfterSecs: 5 });
      }
      if (!isPeerAllowed(peer, config.allowCidrs)) throw new ApiError('forbidden_ip', `Address ${peer} is not allowed: add it to ALLOW_CIDRS.`);
      if (path === null) throw new ApiError('invalid_request', 'The request target is not a valid path.');
      if (req.headers.host === undefined && req.httpVersionMinor >= 1) throw new ApiError('invalid_request', 'HTTP/1.1 requires a Host header.');
      const route = routeOf(req, res, path);
      if (!route) return;
      await authenticate(req, route, scope);
      if (options.continueAfterChecks && route.target !== 'upload') res.writeContinue(); // the upload continues once its own checks pass
      if (req.method === 'HEAD') req.method = 'GET'; // answered as GET; Node sends no body for HEAD
      await dispatch(req, res, route, path);
    } catch (error) {
      if (error instanceof ClientGoneError) {
        logger.debug({ request_id: requestId, peer }, 'client went away while sending its request');
        res.destroy();
        return;
      }
      const publicError = toPublicError(error);
      if (publicError.code === 'internal') logger.error({ err: error, request_id: requestId }, 'unhandled error');
      const allow = (error as { allow?: string[] }).allow;
      const headers = { ...retryAfterHeader(publicError), ...(allow ? { allow: allow.join(', ') } : {}) };
      refuse(req, res, publicError, headers, path?.startsWith('/trpc/') ? trpcRefusal(req, path, requestId) : undefined);
    }
  }

  /** The route, or null after answering OPTIONS; throws 404/405 for the rest. */
  function routeOf(req: IncomingMessage, res: ServerResponse, path: string): Route | null {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      const allow = path === '*' ? ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'] : routes.allowFor(path);
      if (!allow) throw notFound();
      if (bodyPending(req)) res.setHeader('connection', 'close');
      res.writeHead(204, { allow: allow.join(', ') }).end();
      return null;
    }
    if (path.startsWith('/trpc/')) {
      const route = routes.trpcRoute(path.slice('/trpc/'.length), method);
      if (!route) throw notFound();
      if (route === 'mixed') throw new ApiError('invalid_request', 'A batch cannot mix queries (GET) and mutations (POST).');
      if ('allow' in route) throw methodNotAllowed(route.allow);
      return route;
    }
    const match = routes.match(method, path);
    if (match.kind === 'not_found') throw notFound();
    if (match.kind === 'method_not_allowed') throw methodNotAllowed(match.allow);
    return match.route;
  }

  /** The caller's credentials, from the headers alone. */
  async function authenticate(req: IncomingMessage, route: Route, scope: RequestScope): Promise<void> {
    switch (route.access) {
      case 'app':
        scope.app = await authenticateApp(services, req.headers.authorization, scope.peer);
        scope.state.app = scope.app.name;
        return;
      case 'admin':
        authenticateAdmin(config, req.headers.authorization);
        scope.state.app = 'admin';
        return;
      case 'metrics':
        checkMetricsToken(config, req.headers.authorization);
        return;
      case 'public':
        return;
    }
  }

  async function dispatch(req: BodyRequest, res: ServerResponse, route: Route, path: string): Promise<void> {
    if (route.target === 'upload') return handleUpload(req, res, services, scopes.get(req)!.app!, timeouts.bodyIdleMs);
    if (route.target === 'readyz') return handleReadiness(res, services);
    if (route.target === 'metrics') return handleMetrics(res, services);
    if (route.target === 'openapi') return sendJson(res, 200, openApiDocument);
    if (route.body === 'json') {
      req.body = await jsonBodyOf(req, res);
      req.headers['content-type'] = 'application/json';
    }
    if (path.startsWith('/trpc/')) {
      delete req.headers['trpc-accept']; // answers are plain JSON: no streamed (jsonl) responses
      return trpcHandler(req, res);
    }
    reshapeErrorBodies(res);
    await restHandler(req, res);
  }

  async function jsonBodyOf(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    if (isJsonContentType(req.headers['content-type'])) {
      const caller = scopes.get(req)!.state.app ?? 'public';
      return (await readJsonBody(req, res, { budget, caller, idleMs: timeouts.bodyIdleMs })) ?? {};
    }
    // `curl -X POST .../rotate` with nothing to say: every field has a default.
    if (!bodyPending(req) && req.headers['content-type'] === undefined) return {};
    throw new ApiError('unsupported_media_type', 'Send the body as application/json.');
  }
}

/**
 * The request's path, with dot segments, `%2e`, backslashes and an
 * absolute-form target (`POST http://host/run`) resolved the way URL parsers
 * resolve them; req.url is rewritten to match, so the route checked here is the
 * route tRPC and trpc-to-openapi serve. `*` (OPTIONS *) stays as it is; null
 * when the target is not a path at all.
 */
function normalizeTarget(req: IncomingMessage): string | null {
  const target = req.url ?? '/';
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

/** Writes a refusal of a /trpc/ path in tRPC's own error shape. */
function trpcRefusal(req: IncomingMessage, path: string, requestId: string) {
  const batch = /[?&]batch=1(&|$)/.test(req.url ?? '');
  return (res: ServerResponse, error: PublicError) =>
    sendJson(res, ERROR_STATUS[error.code], trpcErrorBody(error, path.slice('/trpc/'.length), batch, requestId), retryAfterHeader(error));
}

const notFound = () => new ApiError('not_found', 'No such endpoint. See GET /openapi.json for the API.');

function methodNotAllowed(allow: string[]): ApiError & { allow: string[] } {
  return Object.assign(new ApiError('method_not_allowed', `This endpoint takes ${allow.filter((m) => m !== 'OPTIONS').join(', ')}.`), { allow });
}

/**
 * trpc-to-openapi writes its error bodies itself and adds tRPC's own keys
 * (`message`, `code`, `issues`) on top of our formatter's output. Keep only the
 * documented envelope `{ok: false, error: {code, message}}`.
 */
function reshapeErrorBodies(res: ServerResponse): void {
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    if (res.statusCode >= 400 && typeof chunk === 'string') {
      try {
        const body = JSON.parse(chunk) as { error?: { code: string; message: string } };
        if (body.error) {
          const { code, message } = body.error;
          const requestId = res.getHeader('x-request-id');
          return end(JSON.stringify({ ok: false, error: { code, message, ...(typeof requestId === 'string' ? { request_id: requestId } : {}) } }));
        }
      } catch {
        // not JSON: leave it alone
      }
    }
    return end(chunk);
  }) as ServerResponse['end'];
}
