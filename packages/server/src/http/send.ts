import type { ServerResponse } from 'node:http';
import { ERROR_STATUS, type ErrorBody } from '@clawdforge/shared';
import type { PublicError } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function errorBody(error: PublicError): ErrorBody {
  return { ok: false, error: { code: error.code, message: error.message } };
}

export function retryAfterHeader(error: PublicError): Record<string, string> {
  return error.retryAfterSecs === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSecs))) };
}

/** Answers with the error envelope and the status that belongs to its code. */
export function sendError(res: ServerResponse, error: PublicError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, ERROR_STATUS[error.code], errorBody(error), retryAfterHeader(error));
}
