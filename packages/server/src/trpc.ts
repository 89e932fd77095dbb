// The one initTRPC: context, error shape, and the three base procedures.
import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { authenticateAdmin } from './auth/admin-auth.js';
import { authenticateApp, type AuthenticatedApp } from './auth/app-auth.js';
import { toPublicError } from './errors.js';
import type { Services } from './services.js';

/** Per-request facts the HTTP layer fills in and the request log reads back. */
export interface RequestState {
  app?: string;
}

export interface Context {
  services: Services;
  /** This request's X-Request-Id. */
  requestId: string;
  /** The socket's peer address (IPv4-mapped IPv6 unwrapped); never from a header. */
  peer: string;
  authorization: string | undefined;
  /** Aborted when the client goes away before its response is sent. */
  signal: AbortSignal;
  state: RequestState;
  /** The app the HTTP layer authenticated from the headers, before the body. */
  app?: AuthenticatedApp | undefined;
  /** The HTTP layer let this request in as the admin (its bearer token, or a dashboard session with its CSRF token). */
  admin?: boolean | undefined;
}

/** Who may call a procedure. Set by the base procedure, so the HTTP layer can check it before reading a body. */
export type Access = 'public' | 'app' | 'admin';

export type ProcedureMeta = OpenApiMeta & { access?: Access };

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const { retryAfterSecs: _retry, ...publicError } = toPublicError(error);
      const requestId = ctx?.requestId;
      return { ...shape, message: publicError.message, ok: false as const, error: requestId ? { ...publicError, request_id: requestId } : publicError };
    },
  });

export const router = t.router;
export const publicProcedure = t.procedure.meta({ access: 'public' });

/**
 * IP allowed (checked by the HTTP layer for every request) and a live app
 * token: the HTTP layer checked it from the headers before reading the body
 * (`ctx.app`); the check here is for any path that did not.
 */
export const appProcedure = t.procedure.meta({ access: 'app' }).use(({ ctx, next }) => {
  const app = ctx.app ?? authenticateApp(ctx.services, ctx.authorization, ctx.peer);
  ctx.state.app = app.name;
  return next({ ctx: { app } });
});

/** IP allowed and the admin bootstrap token. */
export const adminProcedure = t.procedure.meta({ access: 'admin' }).use(({ ctx, next }) => {
  if (!ctx.admin) authenticateAdmin(ctx.services.config, ctx.authorization);
  ctx.state.app = 'admin';
  return next();
});
