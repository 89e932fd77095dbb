import { ERROR_STATUS, type ErrorCode } from '@clawdforge/shared';

/** Failures that never reached (or never came back from) the service. */
export type ClientErrorCode =
  /** The connection failed: refused, reset, DNS, TLS. */
  | 'network_error'
  /** No answer within `timeoutMs`. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The service answered something that is not what it documents (or a `schema` refused the result). */
  | 'invalid_response';

/**
 * What went wrong: the service's codes and the client's own. A newer service
 * may answer a code this SDK does not know yet; it arrives as it is, in the
 * class its HTTP status belongs to.
 */
export type ClawdforgeErrorCode = ErrorCode | ClientErrorCode | (string & {});

interface ErrorDetails {
  /** The HTTP status, or 0 when no answer came back. */
  status?: number;
  retryAfter?: number | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

/**
 * Every failure of an SDK call. Catch a subclass for a kind of failure
 * (`RateLimitError`, `NotFoundError`, ...), or this one and switch on `code`.
 */
export class ClawdforgeError extends Error {
  override name = 'ClawdforgeError';
  /** The HTTP status, or 0 when no answer came back. */
  readonly status: number;
  readonly code: ClawdforgeErrorCode;
  /** Seconds to wait before retrying, from the `Retry-After` header, when the service sent one. */
  readonly retryAfter: number | undefined;
  /** The service's X-Request-Id for the call: quote it when reporting a problem (it is in the server log and audit row). */
  readonly requestId: string | undefined;

  constructor(code: ClawdforgeErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status ?? 0;
    this.retryAfter = details.retryAfter;
    this.requestId = details.requestId;
  }
}

/** 400, 413, 415, 422 and other refusals of what was sent. */
export class BadRequestError extends ClawdforgeError {
  override name = 'BadRequestError';
}
/** 401: no token, a wrong, revoked or expired one. */
export class AuthenticationError extends ClawdforgeError {
  override name = 'AuthenticationError';
}
/** 403: the address, model, tool or timeout is not allowed for this token. */
export class PermissionDeniedError extends ClawdforgeError {
  override name = 'PermissionDeniedError';
}
/** 404: no such file (or it expired), route or token. */
export class NotFoundError extends ClawdforgeError {
  override name = 'NotFoundError';
}
/** 409: the name is taken. */
export class ConflictError extends ClawdforgeError {
  override name = 'ConflictError';
}
/** 429: the queue is full, a quota is used up, or Claude's own limit was hit; `retryAfter` says how long to wait. */
export class RateLimitError extends ClawdforgeError {
  override name = 'RateLimitError';
}
/** 500 and 502: the service or the CLI failed. */
export class ServerError extends ClawdforgeError {
  override name = 'ServerError';
}
/** 503: not logged in, overloaded, shutting down or busy; often with `retryAfter`. */
export class UnavailableError extends ClawdforgeError {
  override name = 'UnavailableError';
}
/** No answer within `timeoutMs` (status 0), or the run or its upload outlasted the service's limit (504, 408). */
export class APITimeoutError extends ClawdforgeError {
  override name = 'APITimeoutError';
}
/** The service could not be reached. */
export class APIConnectionError extends ClawdforgeError {
  override name = 'APIConnectionError';
}
/** The caller's AbortSignal fired. */
export class AbortedError extends ClawdforgeError {
  override name = 'AbortedError';
}
/** The answer was not what the service documents, or a result did not match the caller's schema. */
export class InvalidResponseError extends ClawdforgeError {
  override name = 'InvalidResponseError';
}

type ErrorClass = new (code: ClawdforgeErrorCode, message: string, details?: ErrorDetails) => ClawdforgeError;

const BY_CLIENT_CODE: Record<ClientErrorCode, ErrorClass> = {
  network_error: APIConnectionError,
  timeout: APITimeoutError,
  aborted: AbortedError,
  invalid_response: InvalidResponseError,
};

function classForStatus(status: number): ErrorClass {
  switch (status) {
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 429:
      return RateLimitError;
    case 408:
    case 504:
      return APITimeoutError;
    case 503:
      return UnavailableError;
  }
  if (status >= 500) return ServerError;
  if (status >= 400) return BadRequestError;
  return ClawdforgeError;
}

/** The error of the right class for a code: a client code by itself, a service code by its status. */
export function errorFor(code: ClawdforgeErrorCode, message: string, details: ErrorDetails = {}): ClawdforgeError {
  const byClient = (BY_CLIENT_CODE as Record<string, ErrorClass | undefined>)[code];
  if (byClient) return new byClient(code, message, details);
  const status = details.status ?? (ERROR_STATUS as Record<string, number | undefined>)[code] ?? 0;
  const ErrorType = classForStatus(status);
  return new ErrorType(code, message, { ...details, status });
}
