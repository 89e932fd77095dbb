// Refusing a request whose body is still on its way. Node closes a
// `Connection: close` socket as soon as the answer is written; a client still
// sending its body (Node's fetch with an upload does) then gets a reset and
// never reads the answer. Like nginx's lingering close: send the refusal,
// close our side for writing, keep reading and dropping what the client still
// sends for a bounded number of bytes and time, then close.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { PublicError } from '../errors.js';
import { sendError } from './send.js';

/** Writes the refusal; the default is the REST error envelope. */
export type RefusalWriter = (res: ServerResponse, error: PublicError) => void;

/** Most bytes read and dropped after a refusal. */
export const LINGER_MAX_BYTES = 64 * 1024 * 1024;
/** Longest time spent on it. */
export const LINGER_MAX_MS = 30_000;
/** Longest pause in what the client sends. */
export const LINGER_IDLE_MS = 5_000;
/** A body declared at most this long is read and dropped with the connection kept open, as nginx does. */
export const DISCARD_KEEP_ALIVE_BYTES = 64 * 1024;

/** True when the request may still have body bytes unread. */
export function bodyPending(req: IncomingMessage): boolean {
  if (req.complete || req.readableEnded) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

/** Answers with the error envelope; when body bytes may still come, with a lingering close. */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  error: PublicError,
  headers: Record<string, string> = {},
  write: RefusalWriter = sendError,
): void {
  if (req.socket.destroyed) return; // the client is gone: nobody to answer
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!res.headersSent) dropUnreadBody(req, res);
  write(res, error);
}

/**
 * Before answering a request whose body will not be read (a refusal, OPTIONS,
 * a route that takes no body): a small declared body is read and dropped with
 * the connection kept, which is cheaper for everyone than a new connection;
 * anything else gets `Connection: close` and a lingering close.
 */
export function dropUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (!bodyPending(req)) return;
  // Closing anyway (shutting down): only the lingering close keeps the client from a reset.
  if (smallDeclaredBody(req) && res.getHeader('connection') !== 'close') {
    discard(req);
    return;
  }
  res.setHeader('connection', 'close');
  linger(req);
}

function smallDeclaredBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && length !== undefined && Number(length) <= DISCARD_KEEP_ALIVE_BYTES;
}

/** Reads and drops what is left of a small body; a client that stops sending it loses the connection. */
function discard(req: IncomingMessage): void {
  const idle = setTimeout(() => req.socket.destroy(), LINGER_IDLE_MS);
  req.once('end', () => clearTimeout(idle));
  req.once('close', () => clearTimeout(idle));
  req.resume();
}

function linger(req: IncomingMessage): void {
  const socket = req.socket as Socket & { destroySoon?: () => void };
  // Instead of destroying once the answer is out: half-close, and keep reading.
  socket.destroySoon = function halfClose(this: Socket) {
    if (this.writable) this.end();
  };
  let dropped = 0;
  const stop = () => {
    clearTimeout(overall);
    clearTimeout(idle);
    socket.destroy();
  };
  const overall = setTimeout(stop, LINGER_MAX_MS);
  let idle = setTimeout(stop, LINGER_IDLE_MS);
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_MAX_BYTES) return stop();
    clearTimeout(idle);
    idle = setTimeout(stop, LINGER_IDLE_MS);
  });
  // All of it read: nothing more can reset the connection; close once the answer is flushed.
  req.once('end', () => {
    if (socket.writableFinished) stop();
    else socket.once('finish', stop);
  });
  socket.once('close', () => {
    clearTimeout(overall);
    clearTimeout(idle);
  });
  req.resume();
}
