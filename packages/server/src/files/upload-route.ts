// POST /files. Everything that can refuse an upload is checked before a byte
// of the body is read: the app token (by the HTTP layer), the media type and
// the declared length. With `Expect: 100-continue` the client does not even
// send the body until then. A refusal with the body still coming is a
// lingering close, so every client reads it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FILE_TTL_DEFAULT_SECS, FILE_TTL_MAX_SECS, FILE_TTL_MIN_SECS } from '@clawdforge/shared';
import type { AuthenticatedApp } from '../auth/app-auth.js';
import { ApiError, toPublicError } from '../errors.js';
import { refuse } from '../http/lingering-close.js';
import { sendJson } from '../http/send.js';
import type { Services } from '../services.js';
import { receiveUpload, type ReceivedUpload } from './receive-upload.js';
import type { StorageReservation } from './storage-gate.js';

// Room for the multipart framing around the file (boundaries, part headers, ttl_secs).
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function parseTtl(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return FILE_TTL_DEFAULT_SECS;
  const ttl = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || ttl < FILE_TTL_MIN_SECS || ttl > FILE_TTL_MAX_SECS) {
    throw new ApiError('invalid_request', `ttl_secs: ${JSON.stringify(text)} is not an integer from ${FILE_TTL_MIN_SECS} to ${FILE_TTL_MAX_SECS}`);
  }
  return ttl;
}

function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(contentType ?? '');
}

/** @param app the caller, authenticated from the headers by the HTTP layer */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, services: Services, app: AuthenticatedApp, idleMs: number): Promise<void> {
  const limit = services.config.maxUploadBytes;
  let reservation: StorageReservation;
  try {
    if (!isMultipart(req.headers['content-type'])) {
      throw new ApiError('unsupported_media_type', 'Send the file as multipart/form-data, in a part named "file".');
    }
    const declared = Number(req.headers['content-length']);
    if (declared > limit + MULTIPART_OVERHEAD_BYTES) {
      throw new ApiError('payload_too_large', `The upload is over MAX_UPLOAD_BYTES (${limit} bytes).`);
    }
    // The file is at least the declared length less the framing: what surely does not fit is refused now.
    const atLeast = Number.isFinite(declared) ? Math.max(0, declared - MULTIPART_OVERHEAD_BYTES) : 0;
    reservation = await services.files.storage.reserve(app.name, app.policy, atLeast);
  } catch (error) {
    refuse(req, res, toPublicError(error));
    return;
  }

  if (/100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
  try {
    const maxBytes = Math.min(limit, reservation.room);
    let upload: ReceivedUpload;
    try {
      upload = await receiveUpload(req, services.files.store.newTempPath(), maxBytes, { idleMs, onBytes: (total) => reservation.grow(total) });
    } catch (error) {
      // Cut off at the storage room, not at MAX_UPLOAD_BYTES: say which limit it was.
      if (error instanceof ApiError && error.apiCode === 'payload_too_large' && maxBytes < limit) throw reservation.overError();
      throw error;
    }
    let ttlSecs: number;
    try {
      ttlSecs = parseTtl(upload.ttlText);
    } catch (error) {
      services.files.store.discard(upload.tempPath);
      throw error;
    }
    const info = await services.files.storage
      .commitWithin(app.name, app.policy, upload.size, reservation, () => services.files.service.commitUpload(app, upload, ttlSecs))
      .catch((error: unknown) => {
        services.files.store.discard(upload.tempPath);
        throw error;
      });
    services.metrics.observeUpload(info.size);
    sendJson(res, 201, info);
  } catch (error) {
    const publicError = toPublicError(error);
    if (publicError.code === 'internal') services.logger.error({ err: error }, 'upload failed');
    refuse(req, res, publicError);
  } finally {
    reservation.release();
  }
}
