// The one node:http server: IP allowlist for every request, then dispatch to the
// tRPC adapter (/trpc), the OpenAPI document, or the REST twin of the procedures.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ERROR_STATUS } from '@clawdforge/shared';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import { isPeerAllowed, normalizePeer } from './auth/peer-access.js';
import { toPublicError } from './errors.js';
import { handleUpload } from './files/upload-route.js';
import { handleReadiness } from './health/readiness.js';
import { handleMetrics } from './metrics/metrics-route.js';
import { isJsonContentType, readJsonBody } from './http/json-body.js';
import { requestIdFor } from './http/request-id.js';
import { logRequestWhenDone } from './http/request-log.js';
import { retryAfterHeader, sendError, sendJson } from './http/send.js';
import { CREATED_PROCEDURES, type AppRouter } from './router.js';
import type { Services } from './services.js';
import type { Context, RequestState } from './trpc.js';

interface RequestScope {
  requestId: string;
  peer: string;
  state: RequestState;
  signal: AbortSignal;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HttpServerOptions {
  services: Services;
  router: AppRouter;
  openApiDocument: object;
}

export function createHttpServer({ services, router, openApiDocument }: HttpServerOptions): Server {
  const scopes = new WeakMap<IncomingMessage, RequestScope>();
  const createContext = ({ req }: { req: IncomingMessage }): Context => {
    const scope = scopes.get(req)!;
    return { services, authorization: req.headers.authorization, ...scope };
  };
  const onError = ({ error }: { error: unknown }) => {
    const publicError = toPublicError(error);
    if (publicError.code === 'internal') services.logger.error({ err: error }, 'unhandled error');
  };

  const trpcHandler = createHTTPHandler({ router, createContext, basePath: '/trpc/', onError });
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

  const hasNoBody = (req: IncomingMessage) =>
    req.headers['content-type'] === undefined && req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0;

  async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (BODY_METHODS.has(req.method ?? '') && isJsonContentType(req.headers['content-type'])) {
      // Parse here rather than in trpc-to-openapi: it drops bodies sent with a
      // charset parameter and has no way to give our error codes.
      (req as IncomingMessage & { body?: unknown }).body = await readJsonBody(req);
      req.headers['content-type'] = 'application/json';
    } else if (BODY_METHODS.has(req.method ?? '') && hasNoBody(req)) {
      // `curl -X POST .../rotate` with nothing to say: every field has a default.
      (req as IncomingMessage & { body?: unknown }).body = {};
      req.headers['content-type'] = 'application/json';
    }
    reshapeErrorBodies(res);
    await restHandler(req, res);
  }

  const server = createServer(handle);
  // Answer `Expect: 100-continue` ourselves: an upload is authenticated before
  // the client is told to send its body (handleUpload continues it).
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!(path === '/files' && req.method === 'POST')) res.writeContinue();
    void handle(req, res);
  });
  return server;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const peer = normalizePeer(req.socket.remoteAddress);
    const requestId = requestIdFor(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const state: RequestState = {};
    const aborter = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    scopes.set(req, { requestId, peer, state, signal: aborter.signal });
    logRequestWhenDone(services.logger, req, res, { requestId, peer, state });
    const requestPath = (req.url ?? '/').split('?')[0] ?? '/';
    res.once('close', () => services.metrics.observeRequest(requestPath, req.method ?? 'GET', res.statusCode));

    try {
      if (services.lifecycle.shuttingDown) {
        res.setHeader('connection', 'close');
        sendError(res, { code: 'shutting_down', message: 'The service is shutting down; retry in a moment.', retryAfterSecs: 5 });
        return;
      }
      if (!isPeerAllowed(peer, services.config.allowCidrs)) {
        sendError(res, { code: 'forbidden_ip', message: `Address ${peer} is not allowed: add it to ALLOW_CIDRS.` });
        return;
      }
      const path = (req.url ?? '/').split('?')[0];
      if (path?.startsWith('/trpc/')) return trpcHandler(req, res);
      // Multipart is streamed by busboy, not buffered by trpc-to-openapi.
      if (path === '/files' && req.method === 'POST') return await handleUpload(req, res, services, { peer, state });
      if (path === '/readyz' && req.method === 'GET') return await handleReadiness(res, services);
      if (path === '/metrics' && req.method === 'GET') return await handleMetrics(req, res, services);
      if (path === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
        sendJson(res, 200, openApiDocument);
        return;
      }
      await handleRest(req, res);
    } catch (error) {
      onError({ error });
      sendError(res, toPublicError(error));
    }
  }
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
