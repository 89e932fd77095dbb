import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { pruneRunsBefore } from '../runs/runs.repository.js';

const BATCH_SIZE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes audit rows older than `retentionDays`, in small batches that yield to requests between them. */
export async function pruneAuditLog(db: Db, clock: Clock, retentionDays: number): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - retentionDays * DAY_MS).toISOString();
  let total = 0;
  for (;;) {
    const deleted = await pruneRunsBefore(db, cutoff, BATCH_SIZE);
    total += deleted;
    if (deleted < BATCH_SIZE) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
