import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';

/** Large enough for a 200,000-character prompt plus a 100,000-character system prompt, fully escaped. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

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

/** Reads and parses a JSON body, refusing it past `limit` bytes; undefined for an empty body. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new ApiError('payload_too_large', `The JSON body is over ${limit} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError('payload_too_large', `The JSON body is over ${limit} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('invalid_request', 'The request body is not valid JSON.');
  }
}
