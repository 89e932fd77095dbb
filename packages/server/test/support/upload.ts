import { request } from 'node:http';
import type { ApiResponse } from './test-server.js';

export interface UploadPart {
  kind: 'file' | 'field';
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body with the parts in the given order. */
export function multipartBody(parts: UploadPart[], boundary = '----clawdforge-test-boundary'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.kind === 'file'
        ? `form-data; name="${part.name}"; filename="${part.filename ?? 'upload.bin'}"`
        : `form-data; name="${part.name}"`;
    const type = part.kind === 'file' ? `\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs a raw body to /files over node:http and returns the parsed answer. */
export function rawUpload(
  baseUrl: string,
  options: { token?: string; body: Buffer; contentType: string; headers?: Record<string, string> },
): Promise<ApiResponse & { sawContinue: boolean }> {
  return new Promise((resolve, reject) => {
    let sawContinue = false;
    const req = request(`${baseUrl}/files`, {
      method: 'POST',
      headers: {
        'content-type': options.contentType,
        'content-length': String(options.body.length),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
    });
    const expectContinue = /100-continue/i.test(options.headers?.expect ?? '');
    req.on('continue', () => {
      sawContinue = true;
      req.end(options.body);
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: new Headers(res.headers as Record<string, string>), sawContinue }),
      );
    });
    // An early answer may close the connection while the body is still going out.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (!expectContinue) req.end(options.body);
    else req.flushHeaders();
  });
}

/** Uploads one file through fetch's own FormData encoder. */
export async function uploadFile(
  baseUrl: string,
  token: string,
  content: string | Buffer,
  options: { filename?: string; contentType?: string; ttlSecs?: string } = {},
): Promise<ApiResponse> {
  const form = new FormData();
  if (options.ttlSecs !== undefined) form.append('ttl_secs', options.ttlSecs);
  // A Buffer copied into a plain Uint8Array: a BlobPart under both Node's and the DOM's typings (the dashboard's tests use this too).
  const part = typeof content === 'string' ? content : new Uint8Array(content);
  form.append('file', new Blob([part], { type: options.contentType ?? 'text/plain' }), options.filename ?? 'notes.txt');
  const response = await fetch(`${baseUrl}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: await response.json(), headers: response.headers };
}
