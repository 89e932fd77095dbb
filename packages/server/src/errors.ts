// The one place errors become what a caller sees: a stable code and a safe message.
import { ERROR_STATUS, type ErrorCode } from '@clawdforge/shared';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';

const TRPC_CODE_BY_STATUS = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  // tRPC has no 431; the HTTP layer answers it before tRPC is involved.
  431: 'BAD_REQUEST',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
} as const satisfies Record<(typeof ERROR_STATUS)[ErrorCode], TRPC_ERROR_CODE_KEY>;

/** tRPC's own code for one of ours (for answers in tRPC's error shape). */
export function trpcCodeOf(code: ErrorCode): TRPC_ERROR_CODE_KEY {
  return TRPC_CODE_BY_STATUS[ERROR_STATUS[code]];
}

/** An error with one of the shared codes; its message is shown to the caller as is. */
export class ApiError extends TRPCError {
  readonly apiCode: ErrorCode;
  /** Seconds, sent as `Retry-After` when set. */
  readonly retryAfterSecs: number | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryAfterSecs?: number } = {}) {
    super({ code: TRPC_CODE_BY_STATUS[ERROR_STATUS[code]], message, cause: options.cause });
    this.apiCode = code;
    this.retryAfterSecs = options.retryAfterSecs;
  }
}

export interface PublicError {
  code: ErrorCode;
  message: string;
  retryAfterSecs?: number;
}

const MAX_ISSUE_CHARS = 500;

/** The first ten issues, each cut to 500 characters: a body with 340,000 unknown keys once made a 4 MB message. */
function describeZodError(error: ZodError): string {
  const cut = (text: string) => (text.length > MAX_ISSUE_CHARS ? `${text.slice(0, MAX_ISSUE_CHARS)}…` : text);
  return error.issues
    .slice(0, 10)
    .map((issue) => cut(`${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`))
    .join('; ');
}

// Errors raised by tRPC or trpc-to-openapi themselves, before our code runs.
const FRAMEWORK_ERRORS: Partial<Record<TRPC_ERROR_CODE_KEY, PublicError>> = {
  PARSE_ERROR: { code: 'invalid_request', message: 'The request body is not valid JSON.' },
  BAD_REQUEST: { code: 'invalid_request', message: 'The request is malformed.' },
  NOT_FOUND: { code: 'not_found', message: 'No such endpoint. See GET /openapi.json for the API.' },
  METHOD_NOT_SUPPORTED: { code: 'method_not_allowed', message: 'This endpoint does not take that method.' },
  UNSUPPORTED_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  PAYLOAD_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large.' },
};

/** What a caller sees for an input its procedure's schema rejects. */
export function invalidInput(error: ZodError): PublicError {
  return { code: 'invalid_request', message: describeZodError(error) };
}

/** Turns any error into the code and message a caller may see; never a stack or an internal detail. */
export function toPublicError(error: unknown): PublicError {
  if (error instanceof ApiError) {
    return error.retryAfterSecs === undefined
      ? { code: error.apiCode, message: error.message }
      : { code: error.apiCode, message: error.message, retryAfterSecs: error.retryAfterSecs };
  }
  if (error instanceof TRPCError) {
    if (error.cause instanceof ApiError) return toPublicError(error.cause);
    if (error.cause instanceof ZodError && error.code === 'BAD_REQUEST') return invalidInput(error.cause);
    const known = FRAMEWORK_ERRORS[error.code];
    if (known) return known;
  }
  return { code: 'internal', message: 'Internal error. The server log has the details.' };
}
