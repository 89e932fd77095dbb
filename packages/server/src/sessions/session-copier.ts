// What a fork copies of its origin's working directory: `cp -a`, which copies
// symlinks as symlinks and keeps owners and modes. A tree the run user can
// write is copied by the run user (through the spawn helper), so nothing in it
// can point the copy at what the run user could not read itself; a read-only
// session's files are all the service's, and the service copies them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProcessLauncher } from '../process/process-launcher.js';
import { runShortCommand } from '../process/short-command.js';

const run = promisify(execFile);
const COPY_TIMEOUT_MS = 120_000;

/** Copies the contents of `from` into `to` (an empty directory): as the run user when `asRunUser` is given, else as the service. */
export async function copySessionDir(from: string, to: string, asRunUser?: ProcessLauncher): Promise<void> {
  const args = ['-a', '--', `${from}/.`, `${to}/`];
  if (!asRunUser) {
    await run('cp', args, { timeout: COPY_TIMEOUT_MS, killSignal: 'SIGKILL' });
    return;
  }
  const result = await runShortCommand(asRunUser, 'cp', args, COPY_TIMEOUT_MS);
  if (result.exitCode !== 0) throw new Error(`copying the session directory as the run user failed (exit ${result.exitCode ?? 'none'})`);
}
