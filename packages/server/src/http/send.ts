import type { ServerResponse } from 'node:http';
import { ERROR_STATUS, type ErrorBody } from '@clawdforge/shared';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { trpcCodeOf, type PublicError } from '../errors.js';
import { MAX_TRPC_BATCH } from './routes.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

/** Sends JSON that is already serialized. */
export function sendJsonText(res: ServerResponse, status: number, payload: string, headers: Record<string, string> = {}): void {
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

// The envelope up to the request id, serialized once per distinct refusal (most are constants).
const envelopeHeads = new Map<string, string>();
const MAX_CACHED_HEADS = 256;

/**
 * The error envelope as JSON: `{"ok":false,"error":{"code","message","request_id"}}`.
 * A request id is either the caller's (plain characters only, see
 * request-id.ts) or a UUID, so it goes in without escaping.
 */
export function errorJson(error: PublicError, requestId: string | undefined): string {
  const key = `${error.code}\u0000${error.message}`;
  let head = envelopeHeads.get(key);
  if (head === undefined) {
    head = `{"ok":false,"error":{"code":${JSON.stringify(error.code)},"message":${JSON.stringify(error.message)}`;
    if (envelopeHeads.size >= MAX_CACHED_HEADS) envelopeHeads.clear();
    envelopeHeads.set(key, head);
  }
  return requestId === undefined ? `${head}}}` : `${head},"request_id":"${requestId}"}}`;
}

/**
 * The one writer of the REST error envelope: the status that belongs to the
 * code, Retry-After when it has one, the request id from the response's header.
 */
export function sendError(res: ServerResponse, error: PublicError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = res.getHeader('x-request-id');
  sendJsonText(res, ERROR_STATUS[error.code], errorJson(error, typeof requestId === 'string' ? requestId : undefined), retryAfterHeader(error));
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
  const names = procedurePath.split(',');
  // One entry per call of a batch, as tRPC clients expect; a path naming more calls than a batch may have gets
  // one error, not one per comma (16 KB of commas would be 5 MB of answer).
  return batch && names.length <= MAX_TRPC_BATCH ? names.map(one) : one(procedurePath.slice(0, 256));
}
