import { z } from 'zod';
import { errorBodySchema } from './errors.js';
import { runResponseSchema } from './runs.js';

/**
 * What happens in a run, in order: the events `POST /run` sends as Server-Sent
 * Events (`Accept: text/event-stream`), `id:` the sequence number, `event:`
 * the type, `data:` the JSON below. A run ends with exactly one `result` (the
 * blocking answer's body) or `error` (the error envelope).
 */
const event = <T extends string, D extends z.ZodType>(type: T, data: D, id: string) =>
  z.object({ seq: z.number().int().min(1), type: z.literal(type), data }).meta({ id });

export const runEventSchema = z
  .discriminatedUnion('type', [
    /** Admitted: `position` runs wait ahead of it (0: it starts at once). */
    event('queued', z.object({ position: z.number().int().nonnegative() }), 'RunEventQueued'),
    /** The CLI is up: its model, session and version. */
    event('started', z.object({ model: z.string().nullable(), session_id: z.string().nullable(), cli_version: z.string().nullable() }), 'RunEventStarted'),
    /** A piece of the answer as the model writes it. */
    event('text', z.object({ text: z.string() }), 'RunEventText'),
    /** The model calls a granted tool: its name and a short summary of the input. */
    event('tool', z.object({ name: z.string(), summary: z.string() }), 'RunEventTool'),
    /** The CLI retries an upstream error. */
    event('retry', z.object({ attempt: z.number().int().nullable(), status: z.number().int().nullable(), delay_ms: z.number().int().nullable() }), 'RunEventRetry'),
    /** The subscription's rate limit: `allowed`, `allowed_warning` or `rejected`, and when it resets (epoch seconds). */
    event('rate_limit', z.object({ status: z.string(), resets_at: z.number().int().nullable() }), 'RunEventRateLimit'),
    event('result', runResponseSchema, 'RunEventResult'),
    event('error', errorBodySchema, 'RunEventError'),
  ])
  .meta({ id: 'RunEvent' });

export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];
/** The data of one type of event. */
export type RunEventData<T extends RunEventType> = Extract<RunEvent, { type: T }>['data'];
