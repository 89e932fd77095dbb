// What a fork copies of its origin's working directory: `cp -a`, which copies
// symlinks as symlinks and keeps owners and modes, run by the service while
// both directories are sealed and no process of the run user holds anything
// inside the origin (session-seal.ts): nothing in it can change, or be swapped
// for a symlink, under the copy.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const COPY_TIMEOUT_MS = 120_000;

/** Copies the contents of `from` into `to` (an empty directory). */
export async function copySessionDir(from: string, to: string): Promise<void> {
  await run('cp', ['-a', '--', `${from}/.`, `${to}/`], { timeout: COPY_TIMEOUT_MS, killSignal: 'SIGKILL' });
}
