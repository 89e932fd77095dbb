import { z } from 'zod';
import { FILE_TOKEN_PATTERN } from './runs.js';

export const FILE_TTL_MIN_SECS = 60;
export const FILE_TTL_MAX_SECS = 86_400;
export const FILE_TTL_DEFAULT_SECS = 3_600;

export const fileTokenSchema = z.string().regex(FILE_TOKEN_PATTERN, 'must be an ff_ file token');

/** What the service knows of an uploaded file; `POST /files` answers with it too. */
export const fileInfoSchema = z
  .object({
    file_token: z.string(),
    /** The sanitized display name: what the model sees. */
    name: z.string(),
    size: z.number().int().nonnegative(),
    sha256: z.string(),
    content_type: z.string(),
    ttl_secs: z.number().int(),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'FileInfo' });

export const fileRefSchema = z.object({ file_token: fileTokenSchema });
export const deletedFileSchema = z.object({ ok: z.literal(true), file_token: z.string() }).meta({ id: 'DeletedFile' });

export type FileInfo = z.infer<typeof fileInfoSchema>;
