// What a fork copies of its origin's working directory. Both directories are
// sealed (the service's, 0700) while it copies, so no run can change the tree
// under it; `cp -a` copies symlinks as symlinks and keeps owners and modes, so
// a run user's files stay the run user's and nothing is followed out.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const COPY_TIMEOUT_MS = 120_000;

/** Copies the contents of `from` into `to` (an empty directory). */
export async function copySessionDir(from: string, to: string): Promise<void> {
  await run('cp', ['-a', '--', `${from}/.`, `${to}/`], { timeout: COPY_TIMEOUT_MS, killSignal: 'SIGKILL' });
}
