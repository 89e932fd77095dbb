import { z } from 'zod';
import { errorBodySchema } from './errors.js';
import { runResponseSchema } from './runs.js';

/** Where an async run stands: waiting, running, or how it ended (the audit log's statuses). */
export const ASYNC_RUN_STATUSES = ['queued', 'running', 'ok', 'error', 'timeout', 'cancelled', 'rejected'] as const;
export type AsyncRunStatus = (typeof ASYNC_RUN_STATUSES)[number];

export const runIdInputSchema = z.object({
  run_id: z.string().min(1).max(64).regex(/^run_[A-Za-z0-9_-]+$/, 'a run id (run_...)'),
});

/** POST /runs answers 202 with this once the run is queued. */
export const asyncRunAcceptedSchema = z
  .object({
    run_id: z.string(),
    status: z.enum(ASYNC_RUN_STATUSES),
    /** GET this for the status, and the result or error once done. */
    status_url: z.string(),
    /** GET this for the run's events as Server-Sent Events, from the start or after Last-Event-ID. */
    events_url: z.string(),
  })
  .meta({ id: 'AsyncRunAccepted' });

export const asyncRunSchema = z
  .object({
    run_id: z.string(),
    status: z.enum(ASYNC_RUN_STATUSES),
    created_at: z.string(),
    finished_at: z.string().nullable(),
    /** The blocking answer's body, once the run succeeded. */
    result: runResponseSchema.nullable(),
    /** The error envelope, once the run failed (`interrupted`: the service restarted while it ran). */
    error: errorBodySchema.nullable(),
  })
  .meta({ id: 'AsyncRun' });

export type AsyncRunAccepted = z.infer<typeof asyncRunAcceptedSchema>;
export type AsyncRun = z.infer<typeof asyncRunSchema>;
