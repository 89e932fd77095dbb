import { z } from 'zod';
import { runRequestSchema, usageSchema } from './runs.js';

/** Seconds an idle session lives when `ttl_secs` is not given, and the most it may ask for. */
export const DEFAULT_SESSION_TTL_SECS = 3600;
export const MAX_SESSION_TTL_SECS = 7 * 24 * 3600;

const run = runRequestSchema.shape;

export const sessionIdInputSchema = z.object({
  session_id: z.string().min(1).max(64).regex(/^ses_[A-Za-z0-9_-]+$/, 'a session id (ses_...)'),
});

/** POST /sessions: what every turn of the session runs with. Fixed for the session's life (the CLI keeps its system prompt). */
export const createSessionRequestSchema = z
  .object({
    model: run.model,
    system: run.system,
    append_system: run.append_system,
    tools: run.tools,
    json_schema: run.json_schema,
    /** Seconds without a turn after which the session and its directory are removed. */
    ttl_secs: z.number().int().min(60).max(MAX_SESSION_TTL_SECS).optional(),
  })
  .strict();

/** Fields a run takes that a session fixes at creation: named in the refusal of a turn that sends one. */
const FIXED_AT_CREATION = new Set(['model', 'system', 'append_system', 'tools', 'json_schema', 'fallback_model', 'ttl_secs']);

function unknownTurnKeys(keys: readonly string[]): string {
  const fixed = keys.filter((key) => FIXED_AT_CREATION.has(key));
  if (fixed.length === 0) return `Unrecognized key${keys.length === 1 ? '' : 's'}: ${keys.map((key) => `"${key}"`).join(', ')}`;
  return (
    `${fixed.join(', ')} cannot change after the session is created: the CLI keeps the system prompt and settings the session started with. ` +
    'Create a new session (or fork this one) for other settings.'
  );
}

/** POST /sessions/{session_id}/turns: only the new turn; the CLI has the history. */
export const turnRequestSchema = z.strictObject(
  {
    prompt: run.prompt,
    /** `ff_` tokens: placed in the session's directory, where later turns can read them too. */
    files: run.files,
    timeout_secs: run.timeout_secs,
    max_turns: run.max_turns,
    max_budget_usd: run.max_budget_usd,
    effort: run.effort,
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownTurnKeys(issue.keys) : undefined) },
);

export const turnInputSchema = turnRequestSchema.extend(sessionIdInputSchema.shape);

/** POST /sessions/{session_id}/fork. */
export const forkSessionInputSchema = sessionIdInputSchema
  .extend({ ttl_secs: createSessionRequestSchema.shape.ttl_secs.meta({ description: "The fork's own TTL; the origin's by default." }) })
  .strict();

export const deletedSessionSchema = z.object({ ok: z.literal(true), session_id: z.string() }).meta({ id: 'DeletedSession' });

export const sessionCreatedSchema = z
  .object({
    session_id: z.string(),
    /** When the session expires if no turn comes before; each turn moves it to that turn's end plus ttl_secs. */
    expires_at: z.iso.datetime(),
  })
  .meta({ id: 'SessionCreated' });

export const sessionSchema = z
  .object({
    session_id: z.string(),
    model: z.string(),
    tools: z.array(z.string()),
    /** The session answers with structured output (json_schema was given). */
    structured: z.boolean(),
    /** The session this one was forked from, while it exists or not. */
    forked_from: z.string().nullable(),
    ttl_secs: z.number().int(),
    created_at: z.iso.datetime(),
    last_activity_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    /** Turns that reached the CLI. */
    turns: z.number().int().nonnegative(),
    /** A turn is running now: another is refused with 409 session_busy. */
    busy: z.boolean(),
    usage: usageSchema,
    cost_usd: z.number().nonnegative(),
  })
  .meta({ id: 'Session' });

export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) }).meta({ id: 'SessionList' });

export type CreateSessionRequest = z.input<typeof createSessionRequestSchema>;
export type TurnRequest = z.input<typeof turnRequestSchema>;
export type SessionCreated = z.infer<typeof sessionCreatedSchema>;
export type Session = z.infer<typeof sessionSchema>;
