import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { FilesTable } from '../db/schema.js';

export type FileRow = Selectable<FilesTable>;

export async function insertFile(db: Db, row: FileRow): Promise<void> {
  await db.insertInto('files').values(row).execute();
}

/** A live file of `app`: unknown, expired and other apps' files are all simply absent. */
export async function findLiveFile(db: Db, app: string, tokenHash: string, now: string): Promise<FileRow | undefined> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('app', '=', app)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteFileRow(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('files').where('token_hash', '=', tokenHash).execute();
}

/** Deletes and returns the rows of files expired at `now`, at most `limit`. */
export async function takeExpiredFiles(db: Db, now: string, limit: number): Promise<FileRow[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('files').selectAll().where('expires_at', '<=', now).limit(limit).execute();
    if (rows.length > 0) await trx.deleteFrom('files').where('token_hash', 'in', rows.map((row) => row.token_hash)).execute();
    return rows;
  });
}

/** Deletes and returns every file row of `app` (its token was revoked). */
export async function takeFilesOfApp(db: Db, app: string): Promise<FileRow[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('files').selectAll().where('app', '=', app).execute();
    await trx.deleteFrom('files').where('app', '=', app).execute();
    return rows;
  });
}

export async function allStoredNames(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('files').select('stored_name').execute();
  return new Set(rows.map((row) => row.stored_name));
}
