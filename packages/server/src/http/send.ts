import type { ServerResponse } from 'node:http';
import { ERROR_STATUS, type ErrorBody } from '@clawdforge/shared';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { trpcCodeOf, type PublicError } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function errorBody(error: PublicError, requestId?: string): ErrorBody {
  return { ok: false, error: { code: error.code, message: error.message, ...(requestId ? { request_id: requestId } : {}) } };
}

export function retryAfterHeader(error: PublicError): Record<string, string> {
  return error.retryAfterSecs === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSecs))) };
}

/** Answers with the error envelope and the status that belongs to its code; the request id comes from the response's header. */
export function sendError(res: ServerResponse, error: PublicError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = res.getHeader('x-request-id');
  sendJson(res, ERROR_STATUS[error.code], errorBody(error, typeof requestId === 'string' ? requestId : undefined), retryAfterHeader(error));
}

/**
 * The same refusal in tRPC's error shape, for /trpc/ paths refused before tRPC
 * ran (a tRPC client parses `error.data`); one per procedure of a batch.
 */
export function trpcErrorBody(error: PublicError, procedurePath: string, batch: boolean, requestId?: string): unknown {
  const key = trpcCodeOf(error.code);
  const one = (path: string) => ({
    error: {
      message: error.message,
      code: TRPC_ERROR_CODES_BY_KEY[key],
      data: { code: key, httpStatus: ERROR_STATUS[error.code], path },
      ...errorBody(error, requestId),
    },
  });
  return batch ? procedurePath.split(',').map(one) : one(procedurePath);
}
