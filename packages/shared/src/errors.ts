import { z } from 'zod';

/**
 * Every error code the service can answer with, and its HTTP status.
 * One closed set: the server maps each code exhaustively, the SDKs switch on it,
 * and a test checks every code is documented in the README.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden_ip: 403,
  model_not_allowed: 403,
  tool_not_allowed: 403,
  timeout_not_allowed: 403,
  csrf_failed: 403,
  not_found: 404,
  file_not_found: 404,
  session_not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  run_cancelled: 409,
  session_busy: 409,
  session_limit_reached: 409,
  payload_too_large: 413,
  storage_quota_exceeded: 413,
  storage_full: 413,
  unsupported_media_type: 415,
  schema_not_satisfied: 422,
  run_limit_reached: 422,
  queue_full: 429,
  quota_exceeded: 429,
  claude_rate_limited: 429,
  headers_too_large: 431,
  internal: 500,
  claude_error: 502,
  claude_not_authenticated: 503,
  claude_unavailable: 503,
  claude_overloaded: 503,
  admin_disabled: 503,
  shutting_down: 503,
  server_busy: 503,
  interrupted: 503,
  claude_timeout: 504,
  claude_stalled: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const errorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

/** The body of every non-2xx response. */
export const errorBodySchema = z
  .object({
    ok: z.literal(false),
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      /** The request's X-Request-Id: quote it when reporting a problem; the server log and audit row carry it too. */
      request_id: z.string().optional(),
    }),
  })
  .meta({ id: 'ErrorBody' });

export type ErrorBody = z.infer<typeof errorBodySchema>;
