// What uploads may still take: the app's own limits (max_stored_bytes,
// max_live_files), the service's MAX_STORAGE_BYTES, and a floor of free disk
// space. Checked from the declared length before a byte is read, enforced on
// the bytes as they stream, and checked exactly when the file is committed.
// Uploads in flight hold a reservation, so concurrent ones cannot add up past
// a limit together.
import { statfsSync } from 'node:fs';
import type { TokenPolicy } from '@clawdforge/shared';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';

/** Left free on the uploads' file system whatever MAX_STORAGE_BYTES says: the database and the audit log live there too. */
export const MIN_FREE_DISK_BYTES = 256 * 1024 * 1024;

const DISK_CHECK_EVERY_BYTES = 1024 * 1024;

interface Usage {
  bytes: number;
  files: number;
}

/** An upload's claim on storage while it streams; give it back when it ends, committed or not. */
export interface StorageReservation {
  /** The most bytes the file may have without going over a limit. */
  readonly room: number;
  /** Bytes held for it while it streams (grows with what arrives). */
  readonly reserved: number;
  /**
   * Counts `total` bytes received so far: the reservation grows to match, as
   * long as every limit still holds (checked against all uploads in flight
   * and the free disk space). Returns the error to cut the upload off with, or null.
   */
  grow(total: number): ApiError | null;
  /** The error to answer when the file turns out larger than `room` (and not larger than MAX_UPLOAD_BYTES). */
  readonly overError: () => ApiError;
  release(): void;
}

export interface StorageGateOptions {
  maxStorageBytes: number;
  /** Free bytes on the uploads' file system. */
  freeBytes: () => number;
}

export function freeBytesOf(dir: string): () => number {
  return () => {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  };
}

export class StorageGate {
  private readonly inFlight = new Map<string, Usage>();
  private inFlightBytes = 0;
  /** Bytes committed since start, in all and per app: a reservation's stored-bytes snapshot plus what was committed after it. */
  private committedTotal = 0;
  private readonly committedByApp = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly options: StorageGateOptions,
  ) {}

  /**
   * Reserves `atLeastBytes` (the file is surely that large: its declared length
   * less the multipart framing) and one file for `app`; throws 413
   * storage_quota_exceeded or storage_full when that alone goes over a limit.
   */
  async reserve(app: string, policy: TokenPolicy, atLeastBytes: number): Promise<StorageReservation> {
    const [own, all] = await Promise.all([this.storedBy(app), this.storedByAll()]);
    const pending = this.inFlight.get(app) ?? { bytes: 0, files: 0 };
    if (policy.max_live_files !== null && own.files + pending.files + 1 > policy.max_live_files) {
      throw quotaError(`the app already has ${own.files + pending.files} of its ${policy.max_live_files} files (max_live_files)`);
    }
    const appRoom = policy.max_stored_bytes === null ? Infinity : policy.max_stored_bytes - own.bytes - pending.bytes;
    const serviceRoom = Math.min(this.options.maxStorageBytes - all.bytes - this.inFlightBytes, this.options.freeBytes() - MIN_FREE_DISK_BYTES);
    if (atLeastBytes > appRoom) throw quotaError(`the app stores ${own.bytes + pending.bytes} of its ${policy.max_stored_bytes} bytes (max_stored_bytes)`);
    if (atLeastBytes > serviceRoom) throw fullError();

    let reserved = Math.max(0, atLeastBytes);
    this.inFlight.set(app, { bytes: pending.bytes + reserved, files: pending.files + 1 });
    this.inFlightBytes += reserved;
    let released = false;
    let nextDiskCheckAt = reserved;
    const committedAtStart = { all: this.committedTotal, own: this.committedByApp.get(app) ?? 0 };
    // What is stored now: the snapshot taken above, plus what other uploads committed since (deletes are not subtracted: stricter).
    const storedNow = () => ({
      own: own.bytes + (this.committedByApp.get(app) ?? 0) - committedAtStart.own,
      all: all.bytes + this.committedTotal - committedAtStart.all,
    });
    const reservation: StorageReservation = {
      room: Math.max(0, Math.min(appRoom, serviceRoom)),
      get reserved() {
        return reserved;
      },
      overError: () => (appRoom <= serviceRoom ? quotaError(`it is larger than the ${Math.max(0, appRoom)} bytes the app has left (max_stored_bytes)`) : fullError()),
      grow: (total) => {
        if (released || total <= reserved) return null;
        const mine = this.inFlight.get(app)!;
        const stored = storedNow();
        // Stored bytes, others' uploads and the disk, all as they stand now.
        if (policy.max_stored_bytes !== null && stored.own + mine.bytes - reserved + total > policy.max_stored_bytes) return reservation.overError();
        if (stored.all + this.inFlightBytes - reserved + total > this.options.maxStorageBytes) return fullError();
        // What arrived is on disk already, so the floor is checked as it stands (statfs once a MiB, not per piece).
        if (total >= nextDiskCheckAt) {
          if (this.options.freeBytes() < MIN_FREE_DISK_BYTES) return fullError();
          nextDiskCheckAt = total + DISK_CHECK_EVERY_BYTES;
        }
        this.inFlight.set(app, { bytes: mine.bytes + total - reserved, files: mine.files });
        this.inFlightBytes += total - reserved;
        reserved = total;
        return null;
      },
      release: () => {
        if (released) return;
        released = true;
        const current = this.inFlight.get(app)!;
        if (current.files <= 1) this.inFlight.delete(app);
        else this.inFlight.set(app, { bytes: current.bytes - reserved, files: current.files - 1 });
        this.inFlightBytes -= reserved;
      },
    };
    return reservation;
  }

  private commits: Promise<unknown> = Promise.resolve();

  /**
   * Checks a received file of `size` bytes exactly, against what is stored and
   * what others have reserved, then runs `commit`; one at a time, so two
   * uploads cannot both pass the check and then both commit.
   */
  commitWithin<T>(app: string, policy: TokenPolicy, size: number, reservation: StorageReservation, commit: () => Promise<T>): Promise<T> {
    const turn = this.commits.then(async () => {
      await this.checkCommit(app, policy, size, reservation);
      const committed = await commit();
      this.committedTotal += size;
      this.committedByApp.set(app, (this.committedByApp.get(app) ?? 0) + size);
      return committed;
    });
    this.commits = turn.catch(() => {});
    return turn;
  }

  private async checkCommit(app: string, policy: TokenPolicy, size: number, reservation: StorageReservation): Promise<void> {
    if (size > reservation.room) throw reservation.overError();
    const [own, all] = await Promise.all([this.storedBy(app), this.storedByAll()]);
    const pending = this.inFlight.get(app) ?? { bytes: reservation.reserved, files: 1 };
    // This upload's own reservation is in `pending`; count its real size instead.
    const ownReserved = reservation.reserved;
    if (policy.max_stored_bytes !== null && own.bytes + pending.bytes - ownReserved + size > policy.max_stored_bytes) {
      throw quotaError(`the app stores ${own.bytes} of its ${policy.max_stored_bytes} bytes (max_stored_bytes)`);
    }
    if (policy.max_live_files !== null && own.files + pending.files > policy.max_live_files) {
      throw quotaError(`the app already has ${own.files} of its ${policy.max_live_files} files (max_live_files)`);
    }
    if (all.bytes + this.inFlightBytes - ownReserved + size > this.options.maxStorageBytes) throw fullError();
  }

  /** Bytes and files each app stores now. */
  async usageByApp(): Promise<Map<string, Usage>> {
    const rows = await this.db.selectFrom('files').select(['app']).select((eb) => [eb.fn.sum<number>('size').as('bytes'), eb.fn.countAll<number>().as('files')]).groupBy('app').execute();
    return new Map(rows.map((row) => [row.app, { bytes: Number(row.bytes), files: Number(row.files) }]));
  }

  private async storedBy(app: string): Promise<Usage> {
    const row = await this.db
      .selectFrom('files')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'), eb.fn.countAll<number>().as('files')])
      .where('app', '=', app)
      .executeTakeFirstOrThrow();
    return { bytes: Number(row.bytes), files: Number(row.files) };
  }

  private async storedByAll(): Promise<Usage> {
    const row = await this.db
      .selectFrom('files')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'), eb.fn.countAll<number>().as('files')])
      .executeTakeFirstOrThrow();
    return { bytes: Number(row.bytes), files: Number(row.files) };
  }
}

const quotaError = (why: string) =>
  new ApiError('storage_quota_exceeded', `The upload does not fit: ${why}. Delete files the app no longer needs, or wait for them to expire.`);
/** 413 storage_full: also what a write that found the disk full (ENOSPC) answers. */
export const fullError = () =>
  new ApiError('storage_full', 'The service has no room for this upload now (MAX_STORAGE_BYTES or free disk space); retry when files have expired.');
