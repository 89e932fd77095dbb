import {
  asyncRunAcceptedSchema,
  createSessionRequestSchema,
  deletedSessionSchema,
  forkSessionInputSchema,
  runResponseSchema,
  sessionCreatedSchema,
  sessionIdInputSchema,
  sessionListSchema,
  sessionSchema,
  turnInputSchema,
} from '@clawdforge/shared';
import { z } from 'zod';
import { appProcedure, router } from '../trpc.js';

const SESSIONS = { tags: ['sessions'], protect: true };
const withoutId = <T extends { session_id: string }>({ session_id: _id, ...rest }: T) => rest;

export const sessionsRouter = router({
  create: appProcedure
    .meta({
      openapi: {
        ...SESSIONS,
        method: 'POST',
        path: '/sessions',
        operationId: 'createSession',
        summary: 'Start a conversation whose turns the CLI continues, with a working directory that lasts as long as it does',
        description:
          'The settings (model, system prompt, tools, json_schema) are checked against the token now and at every turn, and are fixed for the session: the CLI keeps the system prompt it started with. The session expires ttl_secs after its last turn.',
      },
    })
    .input(createSessionRequestSchema)
    .output(sessionCreatedSchema)
    .mutation(({ ctx, input }) => ctx.services.sessions.create(ctx.app, input)),

  list: appProcedure
    .meta({ openapi: { ...SESSIONS, method: 'GET', path: '/sessions', operationId: 'listSessions', summary: "The calling app's live sessions, newest first" } })
    .input(z.void())
    .output(sessionListSchema)
    .query(({ ctx }) => ctx.services.sessions.list(ctx.app)),

  get: appProcedure
    .meta({ openapi: { ...SESSIONS, method: 'GET', path: '/sessions/{session_id}', operationId: 'getSession', summary: "A session's turns, tokens, cost and last activity (own sessions only)" } })
    .input(sessionIdInputSchema)
    .output(sessionSchema)
    .query(({ ctx, input }) => ctx.services.sessions.get(ctx.app, input.session_id)),

  turn: appProcedure
    .meta({
      openapi: {
        ...SESSIONS,
        method: 'POST',
        path: '/sessions/{session_id}/turns',
        operationId: 'sendTurn',
        summary: "Send the session's next prompt; answers like POST /run",
        description:
          "Only the new prompt goes to the CLI, which has the history. One turn at a time: a turn sent while another runs is refused with 409 session_busy. With `Accept: text/event-stream` the answer is a stream of RunEvent, as for POST /run. Files attached stay in the session's directory for later turns.",
      },
    })
    .input(turnInputSchema)
    .output(runResponseSchema)
    .mutation(({ ctx, input }) => ctx.services.sessions.turn(ctx.app, input.session_id, withoutId(input), { signal: ctx.signal, requestId: ctx.requestId })),

  startTurn: appProcedure
    .meta({
      openapi: {
        ...SESSIONS,
        method: 'POST',
        path: '/sessions/{session_id}/runs',
        operationId: 'startTurn',
        summary: "Send the session's next prompt as an async run: 202 once it is queued",
        description: 'The body is POST /sessions/{session_id}/turns\'s; the turn is then an async run (GET /runs/{run_id}, its events, DELETE to cancel).',
      },
    })
    .input(turnInputSchema)
    .output(asyncRunAcceptedSchema)
    .mutation(({ ctx, input }) => ctx.services.sessions.startTurn(ctx.app, input.session_id, withoutId(input), ctx.requestId)),

  fork: appProcedure
    .meta({
      openapi: {
        ...SESSIONS,
        method: 'POST',
        path: '/sessions/{session_id}/fork',
        operationId: 'forkSession',
        summary: 'A new session with the history so far and a copy of the working directory; the origin goes on untouched',
      },
    })
    .input(forkSessionInputSchema)
    .output(sessionCreatedSchema)
    .mutation(({ ctx, input }) => ctx.services.sessions.fork(ctx.app, input.session_id, { ttl_secs: input.ttl_secs })),

  delete: appProcedure
    .meta({
      openapi: {
        ...SESSIONS,
        method: 'DELETE',
        path: '/sessions/{session_id}',
        operationId: 'deleteSession',
        summary: 'End a session now: a running turn is cancelled, the directory and the transcript removed',
      },
    })
    .input(sessionIdInputSchema)
    .output(deletedSessionSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.sessions.delete(ctx.app, input.session_id);
      return { ok: true as const, session_id: input.session_id };
    }),
});
