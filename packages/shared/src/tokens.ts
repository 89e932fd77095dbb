import { z } from 'zod';
import { parseCidr } from './cidr.js';
import { modelSchema } from './models.js';

export const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const tokenNameSchema = z
  .string()
  .regex(TOKEN_NAME_PATTERN, 'must be 1-64 characters of a-z, 0-9, "_" or "-", starting with a letter or digit');

export const cidrSchema = z
  .string()
  .refine((text) => parseCidr(text) !== null, { error: (issue) => `${JSON.stringify(issue.input)} is not a CIDR` });

/**
 * Built-in CLI tools an admin may grant an app. Agents, schedulers and the rest
 * of the CLI's interactive machinery are not offered to a headless service.
 */
export const GRANTABLE_TOOLS = ['Read', 'Glob', 'Grep', 'Edit', 'Write', 'NotebookEdit', 'WebFetch', 'WebSearch', 'Bash'] as const;
export type GrantableTool = (typeof GRANTABLE_TOOLS)[number];
export const toolSchema = z.enum(GRANTABLE_TOOLS);

/**
 * Grantable tools that reach past the run's own directory: a shell (the whole
 * machine, as the runs' user) and the internet. No token may be granted one
 * unless the operator switched it on in the service's config (ALLOW_RISKY_TOOLS).
 */
export const RISKY_TOOLS = ['Bash', 'WebFetch', 'WebSearch'] as const satisfies readonly GrantableTool[];
export type RiskyTool = (typeof RISKY_TOOLS)[number];
export const isRiskyTool = (tool: string): tool is RiskyTool => (RISKY_TOOLS as readonly string[]).includes(tool);

const distinct = <T>(items: readonly T[]) => new Set(items).size === items.length;

/**
 * What an app's token allows. Every field is nullable: null means "no limit"
 * (for `tools`, the empty list means "none", the default).
 */
export const tokenPolicyFields = {
  /** Models (aliases or ids) runs may ask for; null: any. The first is the app's default. */
  models: z.array(modelSchema).min(1).max(32).refine(distinct, 'must not repeat a model').nullable(),
  /** Built-in tools runs may enable (a run asks for a subset); empty: none. Bash, WebFetch, WebSearch only where the operator enabled them. */
  tools: z.array(toolSchema).max(GRANTABLE_TOOLS.length).refine(distinct, 'must not repeat a tool'),
  /** At most this many of the app's runs at once; more wait behind the app's own. */
  max_concurrent: z.number().int().min(1).max(256).nullable(),
  /** The largest timeout_secs a run may ask for (also its default when lower than the server's). */
  max_timeout_secs: z.number().int().min(1).max(1800).nullable(),
  /** Runs (that reached the CLI, or are on their way) per clock hour, UTC. */
  runs_per_hour: z.number().int().min(1).max(1_000_000).nullable(),
  /** Runs per UTC day. */
  runs_per_day: z.number().int().min(1).max(10_000_000).nullable(),
  /** The CLI's total_cost_usd summed over the UTC day, from the audit log. */
  cost_usd_per_day: z.number().positive().max(1_000_000).nullable(),
  /** After this instant the token is refused like a revoked one. */
  expires_at: z.iso.datetime().nullable(),
  /** The app's uploads may hold at most this many bytes together (expired ones count until swept). */
  max_stored_bytes: z.number().int().min(1).max(2 ** 50).nullable(),
  /** The app may have at most this many uploads at once. */
  max_live_files: z.number().int().min(1).max(1_000_000).nullable(),
  /**
   * Where the app's async runs are announced when they end (run.completed, run.failed), signed per
   * Standard Webhooks. http(s), resolving into ALLOW_CIDRS or WEBHOOK_ALLOW_CIDRS; no redirects followed.
   */
  webhook_url: z.string().max(2048).regex(/^https?:\/\//i, 'an http:// or https:// URL').nullable(),
};

export const tokenPolicySchema = z.object(tokenPolicyFields);
export type TokenPolicy = z.infer<typeof tokenPolicySchema>;

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  models: null,
  tools: [],
  max_concurrent: null,
  max_timeout_secs: null,
  runs_per_hour: null,
  runs_per_day: null,
  cost_usd_per_day: null,
  expires_at: null,
  max_stored_bytes: null,
  max_live_files: null,
  webhook_url: null,
};

export const createTokenInputSchema = z
  .object({
    name: tokenNameSchema,
    ip_cidrs: z.array(cidrSchema).max(64).default([]),
    ...tokenPolicySchema.partial().shape,
  })
  .strict();

/** PATCH: only the fields present change; null lifts a limit. */
export const updateTokenInputSchema = z
  .object({
    name: tokenNameSchema,
    ip_cidrs: z.array(cidrSchema).max(64).optional(),
    ...tokenPolicySchema.partial().shape,
  })
  .strict();

export const rotateTokenInputSchema = z
  .object({
    name: tokenNameSchema,
    /** How long the old plaintext keeps working, in seconds (at most 30 days); 0: it stops now. */
    grace_secs: z.number().int().min(0).max(30 * 24 * 3600).default(0),
  })
  .strict();

export const createdTokenSchema = z
  .object({
    name: z.string(),
    /** The plaintext token: shown in this response only, never again. */
    token: z.string(),
    ip_cidrs: z.array(z.string()),
    created_at: z.iso.datetime(),
    ...tokenPolicyFields,
    /** The webhook's signing secret (whsec_...), when a webhook_url was given: shown in this response only. */
    webhook_secret: z.string().nullable(),
  })
  .meta({ id: 'CreatedToken' });

export const tokenInfoSchema = z
  .object({
    name: z.string(),
    ip_cidrs: z.array(z.string()),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable(),
    ...tokenPolicyFields,
    /** When the plaintext replaced by the last rotation stops working; null when none does. */
    previous_token_expires_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'TokenInfo' });

/** PATCH /admin/tokens/{name}'s answer: the token as it stands, and a new webhook secret when it set a new webhook_url. */
export const updatedTokenSchema = tokenInfoSchema
  .extend({
    /** The new webhook signing secret (whsec_...): only when this change set a new webhook_url, shown this once. */
    webhook_secret: z.string().optional(),
  })
  .meta({ id: 'UpdatedToken' });
export type UpdatedToken = z.infer<typeof updatedTokenSchema>;

export const rotatedTokenSchema = z
  .object({
    name: z.string(),
    /** The new plaintext token: shown in this response only, never again. */
    token: z.string(),
    /** Until when the old plaintext still works; null when it stopped at once. */
    previous_token_expires_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'RotatedToken' });

/** A token as GET /admin/tokens lists it: its settings and what its app stores now. */
export const listedTokenSchema = tokenInfoSchema
  .extend({
    /** Bytes the app's uploads hold now. */
    stored_bytes: z.number().int(),
    /** How many uploads the app has now. */
    stored_files: z.number().int(),
  })
  .meta({ id: 'ListedToken' });

export const tokenListSchema = z.object({ tokens: z.array(listedTokenSchema) }).meta({ id: 'TokenList' });

export const revokeTokenInputSchema = z.object({ name: tokenNameSchema });
export const revokedTokenSchema = z.object({ ok: z.literal(true), name: z.string() }).meta({ id: 'RevokedToken' });

export type CreateTokenInput = z.input<typeof createTokenInputSchema>;
export type UpdateTokenInput = z.input<typeof updateTokenInputSchema>;
export type RotateTokenInput = z.input<typeof rotateTokenInputSchema>;
export type RotatedToken = z.infer<typeof rotatedTokenSchema>;
export type CreatedToken = z.infer<typeof createdTokenSchema>;
export type TokenInfo = z.infer<typeof tokenInfoSchema>;
export type TokenList = z.infer<typeof tokenListSchema>;
export type ListedToken = z.infer<typeof listedTokenSchema>;
export type RevokedToken = z.infer<typeof revokedTokenSchema>;
