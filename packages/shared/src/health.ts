import { z } from 'zod';
import { accountReadinessSchema } from './accounts.js';

/** How the CLI authenticates, as far as the service can tell without calling the API. */
export const authMethodSchema = z.enum(['api_key', 'oauth_token', 'subscription_login', 'none', 'unknown']);

export const healthSchema = z
  .object({
    /** True when the database answers and the CLI is present. */
    ok: z.boolean(),
    claude_present: z.boolean(),
    claude_version: z.string().nullable(),
    /** Whether credentials exist; `claude auth status` cannot tell whether they still work. */
    claude_logged_in: z.boolean().nullable(),
    claude_auth_method: authMethodSchema,
    db: z.enum(['ok', 'error']),
    uptime_s: z.number(),
  })
  .meta({ id: 'Health' });

export type Health = z.infer<typeof healthSchema>;
export type AuthMethod = z.infer<typeof authMethodSchema>;

/** GET /readyz: able to serve, not just alive. HTTP 200 only when `ready`, else 503 with the same body. */
export const readinessSchema = z
  .object({
    ready: z.boolean(),
    db: z.enum(['ok', 'error']),
    claude_present: z.boolean(),
    claude_logged_in: z.boolean().nullable(),
    /** The last run that failed for authentication (e.g. an expired login), if any since start-up. */
    last_auth_failure: z.object({ at: z.iso.datetime(), message: z.string() }).nullable(),
    /** Each configured Claude account's state (empty without accounts: the CLI's default login serves every run). */
    accounts: z.array(accountReadinessSchema),
  })
  .meta({ id: 'Readiness' });

export type Readiness = z.infer<typeof readinessSchema>;
