// Streams one multipart upload to a temp file: never the whole file in memory,
// cut off at the size limit, and on any failure the temp file is removed
// before the error is reported.
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ApiError } from '../errors.js';
import { paceMemory } from './memory-pacer.js';
import { fullError } from './storage-gate.js';

export interface ReceivedUpload {
  tempPath: string;
  size: number;
  sha256: string;
  filename: string | undefined;
  mimeType: string;
  /** The raw `ttl_secs` field, when sent. */
  ttlText: string | undefined;
}

/** Pieces an upload may come in beyond one per 256 bytes (TCP delivers tens of KiB a piece). */
const MAX_UPLOAD_PIECES = 262_144;

const invalid = (message: string) => new ApiError('invalid_request', message);

export interface ReceiveOptions {
  /** Longest pause in the body before it is refused with 408. */
  idleMs: number;
  /** Told the running total after each piece; an error cuts the upload off (a storage limit reached). */
  onBytes?: (total: number) => ApiError | null;
}

export function receiveUpload(req: IncomingMessage, tempPath: string, maxBytes: number, options: ReceiveOptions): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Filenames arrive as raw UTF-8 from curl and browsers; busboy would read them as latin1.
        defParamCharset: 'utf8',
        // One byte over the limit, so a file of exactly maxBytes is not cut off.
        limits: { files: 1, fileSize: maxBytes + 1, fields: 4, fieldSize: 64, parts: 5, headerPairs: 50 },
      });
    } catch {
      reject(invalid('The multipart body has no boundary: send it as multipart/form-data.'));
      return;
    }

    let settled = false;
    let fileStream: NodeJS.ReadableStream & { destroy(error?: Error): void } | undefined;
    let fileWritten: Promise<void> | undefined;
    /** Settles once the temp file's descriptor is closed: only then may it be removed. */
    let fileClosed: Promise<unknown> = Promise.resolve();
    let received: Omit<ReceivedUpload, 'ttlText'> | undefined;
    let ttlText: string | undefined;

    const fail = (error: ApiError) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => {});
      // With the request unpiped the part would never end. Destroy it with the
      // error: a plain destroy() of busboy's part stream left the pipeline unsettled.
      fileStream?.destroy(error);
      // Wait for the write stream to let go of the temp file, then remove it. The
      // pipeline can reject before the stream's own open() has created the file,
      // so its 'close' (after open and close) is what says the file is there.
      void Promise.allSettled([fileWritten, fileClosed]).then(() => {
        rmSync(tempPath, { force: true });
        reject(error);
      });
    };

    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        fail(invalid(`Unexpected file part "${field}": send exactly one file, in a part named "file".`));
        return;
      }
      fileStream = stream;
      const hash = createHash('sha256');
      const pace = paceMemory();
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          pace(chunk.length);
          const over = options.onBytes?.(size);
          if (over) {
            fail(over);
            return done(over);
          }
          done(null, chunk);
        },
      });
      stream.on('limit', () => fail(new ApiError('payload_too_large', `The file is over MAX_UPLOAD_BYTES (${maxBytes} bytes).`)));
      const sink = createWriteStream(tempPath, { flags: 'wx', mode: 0o600 });
      fileClosed = new Promise<void>((closed) => sink.once('close', () => closed())); // also after an error
      fileWritten = pipeline(stream, meter, sink).then(() => {
        received = { tempPath, size, sha256: hash.digest('hex'), filename: info.filename, mimeType: info.mimeType };
      });
      fileWritten.catch((error: NodeJS.ErrnoException) => fail(error.code === 'ENOSPC' ? fullError() : invalid('The upload was cut off before the file ended.')));
    });
    parser.on('filesLimit', () => fail(invalid('Send exactly one file part, named "file".')));
    parser.on('field', (name, value, info) => {
      if (name !== 'ttl_secs') fail(invalid(`Unexpected field "${name}": only "file" and "ttl_secs" are accepted.`));
      else if (info.valueTruncated) fail(invalid('ttl_secs: must be an integer from 60 to 86400'));
      else ttlText = value;
    });
    parser.on('fieldsLimit', () => fail(invalid('Too many fields: only "file" and "ttl_secs" are accepted.')));
    parser.on('partsLimit', () => fail(invalid('Too many parts: send one "file" part and an optional "ttl_secs".')));
    parser.on('error', () => fail(invalid('The multipart body is malformed or was cut off.')));
    parser.on('close', () => {
      if (settled) return;
      if (!fileWritten) {
        fail(invalid('No file: send the file in a multipart part named "file".'));
        return;
      }
      fileWritten.then(
        () => {
          if (settled) return;
          settled = true;
          resolve({ ...received!, ttlText });
        },
        () => {},
      );
    });
    req.on('close', () => {
      if (!req.complete) fail(invalid('The upload was cut off before the file ended.'));
    });
    const onIdle = () => fail(new ApiError('request_timeout', `The upload stopped arriving for ${options.idleMs / 1000} s.`));
    let idle = setTimeout(onIdle, options.idleMs);
    let pieces = 0;
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      if (settled) return;
      // A body sent a few bytes at a time costs a callback and a Buffer per piece: allow many, not millions.
      pieces += 1;
      bytes += chunk.length;
      if (pieces > MAX_UPLOAD_PIECES + bytes / 256) {
        fail(new ApiError('payload_too_large', 'The upload came in too many small pieces; send it in larger ones.'));
        return;
      }
      idle = setTimeout(onIdle, options.idleMs);
    });
    req.pipe(parser);
  });
}
