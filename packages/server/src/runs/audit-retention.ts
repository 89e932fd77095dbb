import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { pruneRunsBefore } from './runs.repository.js';

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

/** Prunes now and then every `intervalMs`; returns a function that stops it. */
export function startAuditRetention(options: {
  db: Db;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  intervalMs?: number;
}): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const prune = () => {
    running = pruneAuditLog(options.db, options.clock, options.retentionDays).then(
      (deleted) => deleted > 0 && options.logger.info({ deleted }, 'pruned audit rows'),
      (err: unknown) => options.logger.error({ err }, 'audit pruning failed'),
    );
  };
  prune();
  const timer = setInterval(prune, options.intervalMs ?? 60 * 60 * 1000);
  timer.unref();
  // Stopping waits for a pass in progress, so the database is not closed under it.
  return async () => {
    clearInterval(timer);
    await running;
  };
}
