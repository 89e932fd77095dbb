// Every path the service answers, with its methods, who may call it and what
// body it takes, known before a byte of the body is read: unknown paths are
// 404, other methods 405 with Allow, and the caller is authenticated from the
// headers first. The tRPC procedures' REST paths come from their own meta.
import type { AnyTRPCProcedure } from '@trpc/server';
import type { Access, ProcedureMeta } from '../trpc.js';

export type RouteTarget = 'rest' | 'trpc' | 'healthz' | 'upload' | 'readyz' | 'metrics' | 'openapi' | 'sdk' | 'run-events' | 'admin-ui' | 'admin-session' | 'admin-live';

export interface Route {
  method: string;
  access: Access | 'metrics';
  target: RouteTarget;
  /** The body it reads: none, JSON (buffered, within the budget) or multipart (streamed to disk). */
  body: 'none' | 'json' | 'multipart';
  /** The procedure a REST route calls, by its tRPC name. */
  procedure?: { name: string; call: AnyTRPCProcedure };
}

interface PathEntry {
  /** With a named group per `{param}` of the template. */
  pattern: RegExp;
  hasParams: boolean;
  routes: Route[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

/**
 * Paths the HTTP layer answers itself although a procedure defines them (for
 * the OpenAPI document and tRPC): /healthz from a snapshot, without a
 * procedure call per request.
 */
const SERVED_BY_HTTP_LAYER: Record<string, RouteTarget> = { 'health.check': 'healthz' };

const HAND_ROUTES: Array<[string, Route]> = [
  ['/files', { method: 'POST', access: 'app', target: 'upload', body: 'multipart' }],
  // An async run's events as Server-Sent Events (async-runs/run-events-route.ts).
  ['/runs/{run_id}/events', { method: 'GET', access: 'app', target: 'run-events', body: 'none' }],
  ['/readyz', { method: 'GET', access: 'public', target: 'readyz', body: 'none' }],
  ['/metrics', { method: 'GET', access: 'metrics', target: 'metrics', body: 'none' }],
  ['/openapi.json', { method: 'GET', access: 'public', target: 'openapi', body: 'none' }],
  // The clients, for apps on other machines: behind the allowlist, no token (see sdk/sdk-files.ts).
  ['/sdk', { method: 'GET', access: 'public', target: 'sdk', body: 'none' }],
  ['/sdk/{file*}', { method: 'GET', access: 'public', target: 'sdk', body: 'none' }],
  // The dashboard (admin-ui/): its page and assets hold no data and need no token; what they show comes from the admin API.
  ['/admin/ui', { method: 'GET', access: 'public', target: 'admin-ui', body: 'none' }],
  ['/admin/ui/{file*}', { method: 'GET', access: 'public', target: 'admin-ui', body: 'none' }],
  // Its session checks the admin token (sign in) or the cookie itself.
  ['/admin/session', { method: 'POST', access: 'public', target: 'admin-session', body: 'json' }],
  ['/admin/session', { method: 'GET', access: 'public', target: 'admin-session', body: 'none' }],
  ['/admin/session', { method: 'DELETE', access: 'public', target: 'admin-session', body: 'none' }],
  ['/admin/live', { method: 'GET', access: 'admin', target: 'admin-live', body: 'none' }],
];

/** Most procedures one tRPC batch may name: each is a call, and a 16 KiB path could name a thousand. */
export const MAX_TRPC_BATCH = 10;

/** `{name}` matches one path segment; `{name*}` the rest of the path. */
const patternOf = (template: string) =>
  new RegExp(
    `^${template
      .replace(/[.+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{([A-Za-z_]+)\*\}/g, '(?<$1>.+)')
      .replace(/\{([A-Za-z_]+)\}/g, '(?<$1>[^/]+)')}$`,
  );

/** The route table of an app router plus the routes the HTTP layer serves itself. */
export class RouteTable {
  private readonly paths: PathEntry[] = [];
  /** Paths without parameters, looked up without a regular expression. */
  private readonly exact = new Map<string, PathEntry>();
  /** tRPC procedure name → who may call it, and whether it is a query (GET) or a mutation (POST). */
  readonly procedures = new Map<string, { access: Access; type: string }>();

  constructor(procedures: Record<string, AnyTRPCProcedure>) {
    for (const [name, procedure] of Object.entries(procedures)) {
      const meta = procedure._def.meta as ProcedureMeta | undefined;
      const access = meta?.access ?? 'app'; // a procedure without a declared access is treated as the stricter common case
      this.procedures.set(name, { access, type: procedure._def.type });
      if (!meta?.openapi) continue;
      const { method, path } = meta.openapi;
      const target = SERVED_BY_HTTP_LAYER[name] ?? 'rest';
      this.add(path, { method, access, target, body: method === 'GET' ? 'none' : 'json', procedure: { name, call: procedure } });
    }
    for (const [path, route] of HAND_ROUTES) this.add(path, route);
  }

  private add(template: string, route: Route): void {
    const pattern = patternOf(template);
    const entry = this.paths.find((candidate) => candidate.pattern.source === pattern.source);
    if (entry) entry.routes.push(route);
    else {
      const created = { pattern, hasParams: template.includes('{'), routes: [route] };
      this.paths.push(created);
      if (!created.hasParams) this.exact.set(template, created);
    }
  }

  private entryOf(path: string): PathEntry | undefined {
    return this.exact.get(path) ?? this.paths.find((candidate) => candidate.pattern.test(path));
  }

  match(method: string, path: string): RouteMatch {
    const entry = this.entryOf(path);
    if (!entry) return { kind: 'not_found' };
    // HEAD is answered like GET where GET is served.
    const route = entry.routes.find((candidate) => candidate.method === method || (method === 'HEAD' && candidate.method === 'GET'));
    if (!route) return { kind: 'method_not_allowed', allow: this.allowed(entry) };
    const params = entry.hasParams ? { ...entry.pattern.exec(path)!.groups } : {};
    return { kind: 'found', route, params };
  }

  /** The methods a path takes (OPTIONS included), for an Allow header. */
  allowFor(path: string): string[] | null {
    const entry = this.entryOf(path);
    return entry ? this.allowed(entry) : null;
  }

  private allowed(entry: PathEntry): string[] {
    const methods = new Set(entry.routes.map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return [...methods];
  }

  /**
   * The route of a /trpc/ path (`a.b` or a batch `a.b,c.d`): the strictest
   * access of its procedures, and a body only for mutations. Null when a
   * procedure is unknown; the methods allowed when this one does not fit
   * (queries are GET, mutations POST: a POST never names a query); 'mixed'
   * for a batch of both, which no method can call; 'too_many' past MAX_TRPC_BATCH.
   */
  trpcRoute(procedurePath: string, method: string): Route | null | { allow: string[] } | 'mixed' | 'too_many' {
    let strictest: Access = 'public';
    const types = new Set<string>();
    const names = procedurePath.split(',');
    if (names.length > MAX_TRPC_BATCH) return 'too_many';
    for (const name of names) {
      const procedure = this.procedures.get(name);
      if (!procedure) return null;
      types.add(procedure.type);
      if (procedure.access === 'admin' || (procedure.access === 'app' && strictest === 'public')) strictest = procedure.access;
    }
    const wanted = types.size === 1 && types.has('query') ? 'GET' : types.size === 1 && types.has('mutation') ? 'POST' : null;
    if (!wanted) return 'mixed';
    if (wanted !== (method === 'HEAD' ? 'GET' : method)) return { allow: wanted === 'GET' ? ['GET', 'HEAD', 'OPTIONS'] : ['POST', 'OPTIONS'] };
    return { method: wanted, access: strictest, target: 'trpc', body: wanted === 'POST' ? 'json' : 'none' };
  }
}
