// A multipart/form-data body for one file, as a stream: a file on disk is read
// as it is sent, never held whole. The size is known (and sent as
// Content-Length, so the service can refuse an oversized file at once) for
// everything but a Readable of unknown length.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';

/** A path on disk, bytes, a Blob, or a Node Readable. */
export type UploadSource = string | Uint8Array | Blob | Readable;

export interface MultipartUpload {
  body: AsyncIterable<Uint8Array>;
  contentType: string;
  contentLength?: number;
}

// Form-data escaping of a filename inside its quoted header value (as browsers do).
const escapeName = (name: string) => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

async function describe(source: UploadSource): Promise<{ chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>; size?: number; name?: string; type?: string }> {
  if (typeof source === 'string') {
    const { size } = await stat(source);
    // Opened when the body is sent, not before: a call that fails first leaves no file open.
    const chunks: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => createReadStream(source)[Symbol.asyncIterator]() };
    return { chunks, size, name: basename(source) };
  }
  if (source instanceof Uint8Array) return { chunks: [source], size: source.byteLength };
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as Blob & { name?: string }).name;
    return {
      chunks: source.stream() as unknown as AsyncIterable<Uint8Array>,
      size: source.size,
      ...(name ? { name } : {}),
      ...(source.type ? { type: source.type } : {}),
    };
  }
  return { chunks: source as AsyncIterable<Uint8Array> };
}

export async function multipartUpload(
  source: UploadSource,
  options: { filename?: string | undefined; contentType?: string | undefined; ttlSecs?: number | undefined },
): Promise<MultipartUpload> {
  const file = await describe(source);
  const boundary = `----clawdforge-${randomBytes(12).toString('hex')}`;
  const filename = escapeName(options.filename ?? file.name ?? 'upload.bin');
  const type = options.contentType ?? file.type ?? 'application/octet-stream';
  const ttl = options.ttlSecs === undefined ? '' : `--${boundary}\r\nContent-Disposition: form-data; name="ttl_secs"\r\n\r\n${options.ttlSecs}\r\n`;
  const head = Buffer.from(`${ttl}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body(): AsyncIterable<Uint8Array> {
    yield head;
    for await (const chunk of file.chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    yield tail;
  }
  return {
    body: body(),
    contentType: `multipart/form-data; boundary=${boundary}`,
    ...(file.size === undefined ? {} : { contentLength: head.length + file.size + tail.length }),
  };
}
