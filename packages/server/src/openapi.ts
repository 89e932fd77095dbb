// Builds the OpenAPI document from the router, then points every error response
// at the real error envelope (trpc-to-openapi describes tRPC's own shape).
import { ERROR_STATUS, errorBodySchema, readinessSchema, runEventSchema, FILE_TTL_DEFAULT_SECS, FILE_TTL_MAX_SECS, FILE_TTL_MIN_SECS, PRODUCT_VERSION } from '@clawdforge/shared';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { z } from 'zod';
import { SUCCESS_STATUS, type AppRouter } from './router.js';

export const API_VERSION = PRODUCT_VERSION;

type Operation = { responses?: Record<string, unknown>; security?: unknown };
type PathItem = Record<string, Operation>;

const ERROR_REF = { $ref: '#/components/schemas/ErrorBody' };

export function buildOpenApiDocument(router: AppRouter): Record<string, unknown> {
  const document = generateOpenApiDocument(router, {
    title: 'clawdforge',
    description: 'Runs the Claude Code CLI for apps on the LAN. Every non-2xx response is an ErrorBody.',
    version: API_VERSION,
    baseUrl: 'http://127.0.0.1:8800',
    openApiVersion: '3.0.3',
    // Multipart uploads are streamed outside tRPC, so their operation is written here.
    paths: { '/files': { post: uploadOperation() }, '/readyz': { get: readinessOperation() }, '/runs/{run_id}/events': { get: runEventsOperation() } } as never,
    securitySchemes: {
      appToken: { type: 'http', scheme: 'bearer', description: 'An app token (cf_...) minted by POST /admin/tokens.' },
      adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_BOOTSTRAP_TOKEN.' },
    },
  }) as unknown as { paths: Record<string, PathItem>; components: { schemas: Record<string, unknown> } };

  document.components.schemas.ErrorBody = componentSchema(errorBodySchema, 'ErrorBody');
  document.components.schemas.Readiness = componentSchema(readinessSchema, 'Readiness', document.components.schemas);
  // Server-Sent Events cannot be described as a response; the events' schema is in the document all the same.
  document.components.schemas.RunEvent = componentSchema(runEventSchema, 'RunEvent', document.components.schemas);
  const statuses = [...new Set(Object.values(ERROR_STATUS))].sort();
  const successStatus = successStatuses(router);

  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const responses: Record<string, unknown> = {};
      const success = successStatus.get(operationKey(method, path));
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        // Drop trpc-to-openapi's own error shapes; keep successes and hand-written answers (e.g. /readyz 503).
        const isTrpcError = status === 'default' || (Number(status) >= 400 && JSON.stringify(response).includes('#/components/schemas/error.'));
        if (!isTrpcError) responses[success && status === '200' ? String(success) : status] = response;
      }
      for (const status of statuses) {
        if (responses[String(status)]) continue; // an operation's own answer for that status (e.g. /readyz 503)
        responses[String(status)] = { description: `Error (see the code)`, content: { 'application/json': { schema: ERROR_REF } } };
      }
      operation.responses = responses;
      if (operation.security) operation.security = [path.startsWith('/admin/') ? { adminToken: [] } : { appToken: [] }];
    }
  }
  pruneUnreferencedSchemas(document, ['RunEvent']);
  return document as unknown as Record<string, unknown>;
}

/** Drops component schemas nothing points at (trpc-to-openapi's own error shapes, replaced above). */
function pruneUnreferencedSchemas(document: { paths: unknown; components: { schemas: Record<string, unknown> } }, kept: string[]): void {
  const schemas = document.components.schemas;
  const referenced = new Set<string>(kept);
  const pending = [JSON.stringify(document.paths), ...kept.map((name) => JSON.stringify(schemas[name] ?? {}))];
  while (pending.length > 0) {
    for (const [, name] of pending.pop()!.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name && !referenced.has(name)) {
        referenced.add(name);
        pending.push(JSON.stringify(schemas[name] ?? {}));
      }
    }
  }
  for (const name of Object.keys(schemas)) if (!referenced.has(name)) delete schemas[name];
}

/**
 * A zod schema as an OpenAPI component; one with an id comes out under
 * `definitions`, so lift it out. Schemas it uses that have ids of their own
 * (RunResponse, ErrorBody) are components already: point at those.
 */
function componentSchema(schema: z.ZodType, id: string, components: Record<string, unknown> = {}): unknown {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0' }) as { definitions?: Record<string, unknown> };
  const pointAtComponents = (part: unknown) => JSON.parse(JSON.stringify(part).replaceAll('"#/definitions/', '"#/components/schemas/'));
  // The other named schemas it uses (a union's members, say) become components of their own, unless they are already.
  for (const [name, definition] of Object.entries(json.definitions ?? {})) {
    if (name !== id && components[name] === undefined) components[name] = pointAtComponents(definition);
  }
  return pointAtComponents(json.definitions?.[id] ?? json);
}

function runEventsOperation() {
  return {
    operationId: 'asyncRunEvents',
    summary: "An async run's events as Server-Sent Events (own runs only), from the start or after Last-Event-ID; the stream ends after `result` or `error`",
    tags: ['runs'],
    security: [{ appToken: [] }],
    parameters: [
      { name: 'run_id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'Last-Event-ID', in: 'header', required: false, description: 'The id of the last event received: only later ones are sent.', schema: { type: 'integer', minimum: 0 } },
    ],
    responses: {
      '200': {
        description: 'One SSE event per RunEvent: `id:` its seq, `event:` its type, `data:` its data as JSON',
        content: { 'text/event-stream': { schema: { $ref: '#/components/schemas/RunEvent' } } },
      },
    },
  };
}

function readinessOperation() {
  const body = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } };
  return {
    operationId: 'readiness',
    summary: 'Ready to serve runs: the database answers and the CLI is present and logged in (503 otherwise)',
    tags: ['health'],
    responses: { '200': { description: 'Ready', ...body }, '503': { description: 'Not ready', ...body } },
  };
}

function uploadOperation() {
  return {
    operationId: 'uploadFile',
    summary: 'Upload a file (multipart) and get an ff_ token for POST /run',
    tags: ['files'],
    security: [{ appToken: [] }],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: {
              file: { type: 'string', format: 'binary', description: 'The file; its name is kept only as a sanitized display name.' },
              ttl_secs: { type: 'integer', minimum: FILE_TTL_MIN_SECS, maximum: FILE_TTL_MAX_SECS, default: FILE_TTL_DEFAULT_SECS },
            },
          },
        },
      },
    },
    responses: {
      '201': { description: 'Stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/FileInfo' } } } },
    },
  };
}

const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** `METHOD /path` → status, for every procedure whose REST twin answers other than 200. */
function successStatuses(router: AppRouter): Map<string, number> {
  const procedures = router._def.procedures as unknown as Record<string, { _def: { meta?: { openapi?: { method: string; path: string } } } }>;
  const statuses = new Map<string, number>();
  for (const [name, status] of Object.entries(SUCCESS_STATUS)) {
    const openapi = procedures[name]?._def.meta?.openapi;
    if (openapi) statuses.set(operationKey(openapi.method, openapi.path), status);
  }
  return statuses;
}
