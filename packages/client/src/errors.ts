import type { ErrorCode } from '@clawdforge/shared';

/**
 * What went wrong, as one closed set: the service's own codes, plus the
 * client-side failures that never reached (or never came back from) it.
 */
export type ClawdforgeErrorCode =
  | ErrorCode
  /** The connection failed: refused, reset, DNS, TLS. */
  | 'network_error'
  /** No answer within `timeoutMs`. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The service answered something that is not what it documents (or a `schema` refused the result). */
  | 'invalid_response';

/** Every failure of an SDK call. `instanceof ClawdforgeError`, then switch on `code`. */
export class ClawdforgeError extends Error {
  override name = 'ClawdforgeError';
  /** The HTTP status, or 0 when no answer came back. */
  readonly status: number;
  readonly code: ClawdforgeErrorCode;
  /** Seconds to wait before retrying, from the `Retry-After` header, when the service sent one. */
  readonly retryAfter: number | undefined;
  /** The service's X-Request-Id for the call: quote it when reporting a problem (it is in the server log and audit row). */
  readonly requestId: string | undefined;

  constructor(
    code: ClawdforgeErrorCode,
    message: string,
    options: { status?: number; retryAfter?: number; requestId?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    this.retryAfter = options.retryAfter;
    this.requestId = options.requestId;
  }
}
