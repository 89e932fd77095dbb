import { z } from 'zod';
import { modelSchema } from './models.js';
import { toolSchema } from './tokens.js';
export const FILE_TOKEN_PATTERN = /^ff_[A-Za-z0-9_-]{32,}$/;

export const RUN_EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** The largest json_schema accepted, serialized: it travels as one command-line argument. */
export const MAX_JSON_SCHEMA_BYTES = 64 * 1024;

export const DEFAULT_TIMEOUT_SECS = 120;

export const runRequestSchema = z
  .object({
    prompt: z.string().min(1).max(200_000),
    /** An alias (`sonnet`, `opus`, `haiku`) or a full model id; the server's DEFAULT_MODEL when absent. */
    model: modelSchema.optional(),
    /** Replaces the CLI's default system prompt. */
    system: z.string().max(100_000).optional(),
    /** `ff_` tokens from `POST /files`, attached to the prompt as `@name` mentions. */
    files: z.array(z.string().regex(FILE_TOKEN_PATTERN, 'must be an ff_ file token')).max(20).optional(),
    /** Wall-clock budget for the run, time spent queued included; 120, or the token's max_timeout_secs if lower. */
    timeout_secs: z.number().int().min(1).max(1800).optional(),
    /** Built-in tools to enable for this run: a subset of the token's `tools`. None when absent. */
    tools: z.array(toolSchema).max(16).optional(),
    /** A JSON Schema (root `type: "object"`); `result` is then the CLI's validated structured output. */
    json_schema: z.record(z.string(), z.unknown()).optional().meta({ description: 'A JSON Schema object whose root has type "object".' }),
    /** Most agentic turns (model calls) the CLI may take. */
    max_turns: z.number().int().min(1).max(100).optional(),
    /** Most US dollars the CLI may spend on this run. */
    max_budget_usd: z.number().positive().max(1000).optional(),
    effort: z.enum(RUN_EFFORTS).optional(),
    /** A model to fall back to when the main one is overloaded; must be allowed by the token too. */
    fallback_model: modelSchema.optional(),
    /** Added to the end of the system prompt (the CLI's default one, or `system`). */
    append_system: z.string().max(100_000).optional(),
  })
  .strict();

export const usageSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
});

export const runResponseSchema = z
  .object({
    ok: z.literal(true),
    /** The model's answer: code fence stripped, then JSON-parsed when it is JSON; else the text. */
    result: z.unknown().meta({ description: 'Any JSON value: the parsed answer, or the answer text when it is not JSON.' }),
    duration_ms: z.number().int().nonnegative(),
    stop_reason: z.string().nullable(),
    run_id: z.string(),
    session_id: z.string().nullable(),
    model: z.string(),
    usage: usageSchema,
    cost_usd: z.number().nullable(),
  })
  .meta({ id: 'RunResponse' });

export type RunRequest = z.input<typeof runRequestSchema>;
export type RunResponse = z.infer<typeof runResponseSchema>;
export type Usage = z.infer<typeof usageSchema>;

/** Audit statuses: `rejected` means refused before a child was spawned. */
export const RUN_STATUSES = ['ok', 'error', 'timeout', 'cancelled', 'rejected'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
