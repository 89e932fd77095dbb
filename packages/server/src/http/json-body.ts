// Reading a JSON request body: only after the caller is authenticated (see
// http.ts), at most 4 MiB, within the global body budget, with an idle
// timeout for clients that stop sending, and no deeper than the validators
// can walk without exhausting the stack.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors.js';
import type { BodyBudget } from './body-budget.js';
import { ClientGoneError } from './client-gone.js';

/** Large enough for a 200,000-character prompt plus a 100,000-character system prompt, fully escaped. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;
/** Deeper than any request needs (a json_schema included); 10,000 levels once crashed the validators. */
export const MAX_JSON_DEPTH = 256;
/** Longest pause between two pieces of a body. */
export const BODY_IDLE_MS = 15_000;
/** Most pieces a body may come in: a body sent a byte at a time costs a parser callback per byte. */
export const MAX_BODY_PIECES = 262_144;

/** True for `application/json` with any parameters; a charset other than UTF-8 is refused. */
export function isJsonContentType(header: string | undefined): boolean {
  const [mediaType = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError('unsupported_media_type', `Send JSON as UTF-8, not ${charset}.`);
  }
  return true;
}

/**
 * Where the JSON text nests deeper than `max`: the top-level key (or `body`)
 * it happens under; null when it does not. One pass over the text, before it
 * is parsed, allocating nothing per value: a 4 MiB array of 2 million
 * numbers costs a scan, not a walk over 2 million parsed values.
 */
export function tooDeep(text: string, max = MAX_JSON_DEPTH): string | null {
  let depth = 0;
  let inString = false;
  let keyStart = -1;
  let lastTopKey: [number, number] | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) {
        inString = false;
        if (keyStart >= 0) lastTopKey = [keyStart, i + 1];
        keyStart = -1;
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
      if (depth === 1) keyStart = i;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return depth > 1 && lastTopKey ? topKeyName(text, lastTopKey) : 'body';
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return null;
}

function topKeyName(text: string, [start, end]: [number, number]): string {
  try {
    return String(JSON.parse(text.slice(start, end))).slice(0, 100);
  } catch {
    return 'body';
  }
}

export interface JsonBodyOptions {
  budget: BodyBudget;
  /** Whose share of the budget the body counts against (the app, the admin). */
  caller: string;
  limit?: number;
  idleMs?: number;
}

/**
 * Reads and parses the body; undefined for an empty one. The memory it holds
 * while it arrives (its buffer's capacity) is taken from `budget` as it grows
 * and given back once the body is parsed or refused. Rejects with an ApiError
 * (413, 503 server_busy, 408, 400) or ClientGoneError; on rejection it stops
 * reading, and the rest of the body is the caller's to drop.
 */
export function readJsonBody(req: IncomingMessage, res: ServerResponse, options: JsonBodyOptions): Promise<unknown> {
  const { budget, caller, limit = MAX_JSON_BODY_BYTES, idleMs = BODY_IDLE_MS } = options;
  return new Promise((resolve, reject) => {
    const tooLarge = () => new ApiError('payload_too_large', `The JSON body is over ${limit} bytes.`);
    const busy = () => new ApiError('server_busy', 'The service is holding as many request bodies as it may; retry in a moment.', { retryAfterSecs: 1 });
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return reject(tooLarge());

    let taken = 0;
    // A small declared body gets a buffer of its size; others start at 16 KiB and grow with what arrives.
    const firstCapacity = declared > 0 ? Math.min(declared, 16 * 1024) : 16 * 1024;
    // One buffer, grown by doubling as bytes arrive: pieces are copied in and dropped, never held one by one.
    let buffer = Buffer.alloc(0);
    const grow = (needed: number) => {
      const capacity = Math.min(limit, Math.max(needed, buffer.length * 2, buffer.length === 0 ? firstCapacity : 0));
      if (!budget.take(caller, capacity - buffer.length)) return false;
      taken += capacity - buffer.length;
      const grown = Buffer.allocUnsafe(capacity);
      buffer.copy(grown, 0, 0, size);
      buffer = grown;
      return true;
    };
    let size = 0;
    let pieces = 0;
    let settled = false;
    const finish = (error: Error | null, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      buffer = Buffer.alloc(0);
      budget.give(caller, taken);
      taken = 0;
      if (error) {
        req.pause();
        reject(error);
      } else resolve(value);
    };
    const onIdle = () => finish(new ApiError('request_timeout', `The body stopped arriving for ${idleMs / 1000} s.`));
    let idle = setTimeout(onIdle, idleMs);
    const onData = (chunk: Buffer) => {
      pieces += 1;
      if (pieces > MAX_BODY_PIECES) return finish(new ApiError('payload_too_large', `The JSON body came in more than ${MAX_BODY_PIECES} pieces; send it in larger ones.`));
      if (size + chunk.length > limit) return finish(tooLarge());
      if (size + chunk.length > buffer.length && !grow(size + chunk.length)) return finish(busy());
      chunk.copy(buffer, size);
      size += chunk.length;
      clearTimeout(idle);
      idle = setTimeout(onIdle, idleMs);
    };
    const onEnd = () => {
      const text = buffer.toString('utf8', 0, size);
      if (text.trim() === '') return finish(null, undefined);
      const deep = tooDeep(text);
      if (deep) return finish(new ApiError('invalid_request', `${deep}: nested deeper than ${MAX_JSON_DEPTH} levels.`));
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return finish(new ApiError('invalid_request', 'The request body is not valid JSON.'));
      }
      // Every input is an object (a tRPC batch too: one keyed by index); spreading a 2-million-element array is not.
      if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
        return finish(new ApiError('invalid_request', 'The request body must be a JSON object.'));
      }
      finish(null, value);
    };
    const onClose = () => {
      if (!req.complete) finish(new ClientGoneError());
    };
    res.once('close', () => {
      if (!settled) finish(new ClientGoneError());
    });
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}
