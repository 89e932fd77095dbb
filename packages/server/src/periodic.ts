import type { Logger } from 'pino';

/**
 * Runs `task` every `intervalMs` (and at once when `runNow`), logging failures.
 * Returns a stop function that also waits for a pass in progress, so nothing
 * runs against a database that is being closed.
 */
export function startPeriodic(
  name: string,
  task: () => Promise<unknown>,
  options: { intervalMs: number; logger: Logger; runNow?: boolean },
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = task().catch((err: unknown) => options.logger.error({ err, task: name }, 'background task failed'));
  };
  if (options.runNow) pass();
  const timer = setInterval(pass, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
