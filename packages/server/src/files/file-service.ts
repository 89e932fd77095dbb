// The lifetime of an uploaded file: made visible (row + rename) in one
// transaction, seen only by its own app, gone at expiry or revocation.
import type { AuthenticatedApp } from '../auth/app-auth.js';
import { constants, copyFileSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo } from '@clawdforge/shared';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import { hashToken } from '../tokens/token-secret.js';
import { handToRunUser, type RunDir } from '../claude/run-dir.js';
import { attachmentFileName } from './attachment-name.js';
import { displayNameOf } from './display-name.js';
import type { FileStore } from './file-store.js';
import { generateFileToken } from './file-token.js';
import {
  allStoredNames,
  deleteFileRow,
  findLiveFile,
  insertFile,
  takeExpiredFiles,
  takeFilesOfApp,
  type FileRow,
} from './files.repository.js';
import type { ReceivedUpload } from './receive-upload.js';

/** An attachment in a run's directory: the name there, and the name it was uploaded with. */
export interface PlacedAttachment {
  fileName: string;
  displayName: string;
}

const CONTENT_TYPE = /^[a-z0-9][\w.+-]{0,63}\/[a-z0-9][\w.+-]{0,63}$/;
const SWEEP_BATCH = 200;

function toInfo(row: FileRow, fileToken: string): FileInfo {
  const { name, size, sha256, content_type, ttl_secs, expires_at, created_at } = row;
  return { file_token: fileToken, name, size, sha256, content_type, ttl_secs, expires_at, created_at };
}

const notFound = (fileToken: string) =>
  new ApiError('file_not_found', `File ${fileToken} was not found: it never existed, expired, was deleted, or belongs to another app.`);

export class FileService {
  constructor(
    private readonly deps: { db: Db; clock: Clock; store: FileStore; logger: Logger },
  ) {}

  /** Makes a received upload visible: the row and the rename commit together, or neither happens. */
  async commitUpload(uploader: AuthenticatedApp, upload: ReceivedUpload, ttlSecs: number): Promise<FileInfo> {
    const app = uploader.name;
    const { db, clock, store } = this.deps;
    const fileToken = generateFileToken();
    const now = clock.now();
    const mime = upload.mimeType.toLowerCase();
    const row: FileRow = {
      token_hash: hashToken(fileToken),
      app,
      stored_name: store.newStoredName(),
      name: displayNameOf(upload.filename),
      size: upload.size,
      sha256: upload.sha256,
      content_type: CONTENT_TYPE.test(mime) ? mime : 'application/octet-stream',
      ttl_secs: ttlSecs,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlSecs * 1000).toISOString(),
    };
    try {
      await db.transaction().execute(async (trx) => {
        // A token revoked while its upload streamed must not get the file (nor a token minted since under its name).
        const live = await trx.selectFrom('tokens').select('name').where('name', '=', app).where('created_at', '=', uploader.tokenCreatedAt).executeTakeFirst();
        if (!live) throw new ApiError('unauthorized', 'The app token was revoked while the file was uploading.');
        await insertFile(trx, row);
        renameSync(upload.tempPath, store.pathOf(row.stored_name));
      });
    } finally {
      rmSync(upload.tempPath, { force: true }); // only still there when the commit failed
    }
    return toInfo(row, fileToken);
  }

  async get(app: string, fileToken: string): Promise<FileInfo> {
    return toInfo(await this.findOrThrow(app, fileToken), fileToken);
  }

  async delete(app: string, fileToken: string): Promise<void> {
    const row = await this.findOrThrow(app, fileToken);
    await deleteFileRow(this.deps.db, row.token_hash);
    this.deps.store.remove(row.stored_name);
  }

  /** Every file of an app whose token was revoked. */
  async deleteAllOf(app: string): Promise<number> {
    const rows = await takeFilesOfApp(this.deps.db, app);
    for (const row of rows) this.deps.store.remove(row.stored_name);
    return rows.length;
  }

  /** The live files of `app` for these tokens, in order; the first missing one is a 404 naming it. */
  async resolveForRun(app: string, fileTokens: readonly string[]): Promise<FileRow[]> {
    const rows: FileRow[] = [];
    for (const fileToken of fileTokens) rows.push(await this.findOrThrow(app, fileToken));
    return rows;
  }

  /**
   * Places the files in a run's working directory under names of the
   * service's own (`file-1.pdf`, ...): hard links on the same file system,
   * copies otherwise. Copies too when the run's tools can write (a link would
   * let the model change the stored upload) or when the run has a user of its
   * own (the stored upload is the service's, 0600; the copy is handed over).
   */
  placeInRunDir(rows: readonly FileRow[], fileTokens: readonly string[], target: RunDir, namePrefix?: string): PlacedAttachment[] {
    const copy = target.writable || target.owner !== null;
    return rows.map((row, index) => {
      const fileName = attachmentFileName(index + 1, row.name, row.content_type, namePrefix);
      const source = this.deps.store.pathOf(row.stored_name);
      const path = join(target.cwd, fileName);
      try {
        // EXCL: in a session's writable directory, an earlier turn may have left a symlink under this name.
        if (copy) copyFileSync(source, path, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
        else linkSync(source, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw notFound(fileTokens[index]!); // deleted a moment ago
        if (code === 'EEXIST') throw new ApiError('conflict', `The session's directory already has a ${fileName} (an earlier turn made it); the files were not attached.`);
        if (copy || (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK')) throw error;
        copyFileSync(source, path, constants.COPYFILE_EXCL);
      }
      handToRunUser(target, path, { inCwd: true });
      return { fileName, displayName: row.name };
    });
  }

  /** Removes expired files, in batches; returns how many. */
  async sweepExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await takeExpiredFiles(this.deps.db, this.deps.clock.now().toISOString(), SWEEP_BATCH);
      for (const row of rows) this.deps.store.remove(row.stored_name);
      total += rows.length;
      if (rows.length < SWEEP_BATCH) return total;
    }
  }

  /** Start-up: expired files, temp files of interrupted uploads, files without a row, rows without their file. */
  async cleanUpAtStart(): Promise<void> {
    const expired = await this.sweepExpired();
    const rows = await this.deps.db.selectFrom('files').select(['token_hash', 'stored_name', 'size']).execute();
    let broken = 0;
    for (const row of rows) {
      // A power cut can lose a committed file's data; such a row must not be served.
      const size = statSafe(this.deps.store.pathOf(row.stored_name));
      if (size !== row.size) {
        await deleteFileRow(this.deps.db, row.token_hash);
        broken += 1;
      }
    }
    const leftovers = this.deps.store.removeLeftovers(await allStoredNames(this.deps.db));
    if (expired + broken + leftovers > 0) this.deps.logger.info({ expired, broken, leftovers }, 'cleaned up files at start-up');
  }

  private async findOrThrow(app: string, fileToken: string): Promise<FileRow> {
    const row = await findLiveFile(this.deps.db, app, hashToken(fileToken), this.deps.clock.now().toISOString());
    if (!row) throw notFound(fileToken);
    return row;
  }
}

function statSafe(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
