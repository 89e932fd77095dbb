import type { Logger } from 'pino';
import type { FileService } from './file-service.js';

/** Removes expired files every `intervalMs`; returns a function that stops it (waiting for a pass in progress). */
export function startFileSweeper(service: FileService, logger: Logger, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = service.sweepExpired().then(
      (removed) => removed > 0 && logger.info({ removed }, 'removed expired files'),
      (err: unknown) => logger.error({ err }, 'file sweep failed'),
    );
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
