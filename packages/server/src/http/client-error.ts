// What Node's HTTP parser refuses before any handler runs (a header block over
// the size limit, malformed HTTP, a request that took too long to arrive) still
// gets the JSON error envelope, not Node's bare status line.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS, type ErrorCode } from '@clawdforge/shared';
import { normalizePeer } from '../auth/peer-access.js';
import { errorJson, sendError } from './send.js';
import type { Logger } from 'pino';
import type { PeerLogLimiter } from './peer-log-limiter.js';

function classify(error: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'headers_too_large', message: 'The request headers are larger than the service accepts (16 KiB).' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', message: 'The request did not arrive in time.' };
    default:
      return { code: 'invalid_request', message: 'The request is not valid HTTP.' };
  }
}

/** Writes the JSON error envelope straight onto a socket that has no ServerResponse, and closes it. */
export function answerOnSocket(socket: Socket, code: ErrorCode, message: string): void {
  const status = ERROR_STATUS[code];
  const body = errorJson({ code, message }, undefined);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** The server's 'clientError' handler. */
export function handleClientError(error: NodeJS.ErrnoException, socket: Socket, warnings: PeerLogLimiter, logger: Logger): void {
  const inProgress = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
  const gone = error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || !socket.writable;
  // Malformed framing after the headers (a bad chunk, an unknown Transfer-Encoding): the request already has
  // a response; answer through it, and close.
  if (inProgress && !gone && !inProgress.headersSent && error.code?.startsWith('HPE_')) {
    inProgress.shouldKeepAlive = false;
    inProgress.setHeader('connection', 'close');
    sendError(inProgress, { code: 'invalid_request', message: 'The request body is not valid HTTP (its framing or transfer encoding).' });
    inProgress.once('finish', () => socket.destroy());
    warnings.log(normalizePeer(socket.remoteAddress), { code: 'invalid_request', cause: error.code }, 'refused a request body the HTTP parser could not take');
    return;
  }
  // The client closed mid-request (its half of the stream ended early): it is gone, nobody to answer.
  if (gone || inProgress) {
    logger.debug({ peer: normalizePeer(socket.remoteAddress), cause: error.code }, 'client went away mid-request');
    socket.destroy();
    return;
  }
  const { code, message } = classify(error);
  answerOnSocket(socket, code, message);
  warnings.log(normalizePeer(socket.remoteAddress), { code, cause: error.code }, 'refused a request the HTTP parser could not take');
}
