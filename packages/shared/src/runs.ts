import { z } from 'zod';

export const MODEL_PATTERN = /^[A-Za-z0-9._\-[\]]{1,100}$/;
export const FILE_TOKEN_PATTERN = /^ff_[A-Za-z0-9_-]{32,}$/;

export const runRequestSchema = z
  .object({
    prompt: z.string().min(1).max(200_000),
    /** An alias (`sonnet`, `opus`, `haiku`) or a full model id; the server's DEFAULT_MODEL when absent. */
    model: z.string().regex(MODEL_PATTERN, 'must be a model alias or id: 1-100 of A-Z a-z 0-9 . _ - [ ]').optional(),
    /** Replaces the CLI's default system prompt. */
    system: z.string().max(100_000).optional(),
    /** `ff_` tokens from `POST /files`, attached to the prompt as `@name` mentions. */
    files: z.array(z.string().regex(FILE_TOKEN_PATTERN, 'must be an ff_ file token')).max(20).optional(),
    /** Wall-clock budget for the run, time spent queued included. */
    timeout_secs: z.number().int().min(1).max(1800).default(120),
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
