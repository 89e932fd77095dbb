import { z } from 'zod';
import { accountNameSchema } from './accounts.js';
import { errorCodeSchema } from './errors.js';
import { MODEL_PATTERN } from './models.js';
import { RUN_STATUSES } from './runs.js';

/** One audit row: a run, whatever its outcome. The prompt is only in GET /admin/runs/{run_id}. */
export const runRecordSchema = z
  .object({
    run_id: z.string(),
    app: z.string(),
    model: z.string(),
    status: z.enum(RUN_STATUSES),
    error_code: z.string().nullable(),
    exit_code: z.number().int().nullable(),
    stop_reason: z.string().nullable(),
    /** The clawdforge session (ses_...) for a session's turn; else the CLI's own id for the run. */
    session_id: z.string().nullable(),
    /** The turn's number in its session; null for a run outside one. */
    turn: z.number().int().nullable(),
    /** The Claude account the run ended on; null without accounts configured, or for a run refused before one was chosen. */
    account: z.string().nullable(),
    /** The account it was tried on first, when a rate limit or a dead login there moved it to `account`. */
    failover_from: z.string().nullable(),
    prompt_chars: z.number().int(),
    system_chars: z.number().int(),
    file_count: z.number().int(),
    response_chars: z.number().int().nullable(),
    input_tokens: z.number().int().nullable(),
    output_tokens: z.number().int().nullable(),
    cost_usd: z.number().nullable(),
    queue_wait_ms: z.number().int(),
    duration_ms: z.number().int(),
    created_at: z.iso.datetime(),
    request_id: z.string().nullable(),
  })
  .meta({ id: 'RunRecord' });

export const runDetailSchema = runRecordSchema
  .extend({
    prompt: z.string().nullable().meta({ description: 'Null when AUDIT_PROMPTS=off.' }),
    error_message: z.string().nullable().meta({ description: 'What the caller was told when the run failed (the error envelope\'s message); null when it answered.' }),
  })
  .meta({ id: 'RunDetail' });

export const listRunsInputSchema = z
  .object({
    /** From the previous page's next_cursor. */
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a next_cursor from a previous page').optional(),
    limit: z.number().int().min(1).max(500).default(50),
    app: z.string().max(64).optional(),
    status: z.enum(RUN_STATUSES).optional(),
    error_code: errorCodeSchema.optional(),
    model: z.string().regex(MODEL_PATTERN).optional(),
    /** A session's turns only. */
    session_id: z.string().regex(/^ses_[A-Za-z0-9_-]{1,64}$/, 'must be a session id').optional(),
    /** Runs that ended on this Claude account (failed over to it or not). */
    account: accountNameSchema.optional(),
    /** Inclusive lower bound on created_at. */
    since: z.iso.datetime().optional(),
    /** Exclusive upper bound on created_at. */
    until: z.iso.datetime().optional(),
  })
  .strict();

export const runPageSchema = z
  .object({
    runs: z.array(runRecordSchema),
    /** Pass as `cursor` for the next (older) page; null on the last page. */
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'RunPage' });

export const runRefSchema = z.object({ run_id: z.string().regex(/^run_[A-Za-z0-9_-]{1,64}$/, 'must be a run id') });

export type RunRecord = z.infer<typeof runRecordSchema>;
export type RunDetail = z.infer<typeof runDetailSchema>;
export type RunPage = z.infer<typeof runPageSchema>;
export type ListRunsInput = z.input<typeof listRunsInputSchema>;

/** One admin action: who (the admin's peer address, or `cli`), what, and the state before and after. Never a token. */
export const adminActionSchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    action: z.enum(['token.create', 'token.update', 'token.rotate', 'token.webhook_secret', 'token.revoke', 'account.add', 'account.remove', 'account.enable', 'account.disable', 'session.sign_in', 'session.sign_out']),
    target: z.string(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    request_id: z.string().nullable(),
  })
  .meta({ id: 'AdminAction' });

export const listAdminActionsInputSchema = z
  .object({
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a next_cursor from a previous page').optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();

export const adminActionPageSchema = z
  .object({ actions: z.array(adminActionSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'AdminActionPage' });

export type AdminAction = z.infer<typeof adminActionSchema>;
export type AdminActionPage = z.infer<typeof adminActionPageSchema>;

export const USAGE_GROUPINGS = ['app', 'model', 'day'] as const;

export const usageInputSchema = z
  .object({
    /** Inclusive lower bound on created_at; all time when absent. */
    since: z.iso.datetime().optional(),
    /** Exclusive upper bound on created_at. */
    until: z.iso.datetime().optional(),
    group_by: z.enum(USAGE_GROUPINGS).default('app'),
  })
  .strict();

export const usageGroupSchema = z.object({
  /** The app, the model asked for, or the UTC day (YYYY-MM-DD). */
  key: z.string(),
  runs: z.number().int(),
  ok: z.number().int(),
  /** Failed and refused runs by error code. */
  errors: z.record(z.string(), z.number().int()),
  /** Nearest-rank percentiles over runs that reached the CLI (not `rejected`); null when there were none. */
  duration_ms_p50: z.number().int().nullable(),
  duration_ms_p95: z.number().int().nullable(),
  queue_wait_ms_p95: z.number().int().nullable(),
  prompt_chars: z.number().int(),
  response_chars: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_usd: z.number(),
});

export const usageReportSchema = z
  .object({
    group_by: z.enum(USAGE_GROUPINGS),
    since: z.string().nullable(),
    until: z.string().nullable(),
    groups: z.array(usageGroupSchema),
  })
  .meta({ id: 'UsageReport' });

export type UsageReport = z.infer<typeof usageReportSchema>;
export type UsageGroup = z.infer<typeof usageGroupSchema>;
export type UsageInput = z.input<typeof usageInputSchema>;

/** A run in the service right now, as GET /admin/live's `snapshot` events list them (Server-Sent Events, outside OpenAPI). */
export interface LiveRun {
  run_id: string;
  app: string;
  model: string;
  phase: 'queued' | 'running';
  /** When it entered its phase. */
  since: string;
  session_id: string | null;
}

/** The data of a `snapshot` event of GET /admin/live. */
export interface LiveSnapshot {
  runs: LiveRun[];
}
