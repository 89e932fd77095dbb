// What a fork copies: the origin's transcript (the history so far) and its
// working directory. Trees the run user can write are copied as that user
// (see run-dir.ts): root never walks or writes through what a run could have
// made a symlink. Without a run user everything is the service's own.
import { constants, copyFileSync, cpSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { handToRunUser, type RunDir } from '../claude/run-dir.js';
import type { ProcessLauncher } from '../process/process-launcher.js';
import { runShortCommand } from '../process/short-command.js';

const STEP_TIMEOUT_MS = 60_000;

export interface SessionCopier {
  /** Copies a transcript to `toDir/toName`, making `toDir` (the fork's directory under the CLI's projects/). */
  copyTranscript(from: string, toDir: string, toName: string): Promise<void>;
  /** Copies the origin's working directory's contents into the fork's (made empty, with the same writability). */
  copyDir(from: RunDir, to: RunDir): Promise<void>;
}

/** A read-only session's directory holds only what the service placed: regular files, the service's. */
function copyServiceFiles(from: RunDir, to: RunDir): void {
  for (const name of readdirSync(from.cwd)) {
    if (!lstatSync(join(from.cwd, name)).isFile()) continue;
    const path = join(to.cwd, name);
    copyFileSync(join(from.cwd, name), path, constants.COPYFILE_EXCL);
    handToRunUser(to, path, { inCwd: true });
  }
}

/** For a service whose runs have no user of their own. */
export const serviceCopier: SessionCopier = {
  async copyTranscript(from, toDir, toName) {
    mkdirSync(toDir, { recursive: true, mode: 0o700 });
    copyFileSync(from, join(toDir, toName), constants.COPYFILE_EXCL);
  },
  async copyDir(from, to) {
    // Symlinks a run made are copied as symlinks, never followed.
    cpSync(from.cwd, to.cwd, { recursive: true, verbatimSymlinks: true, force: false, errorOnExist: true, preserveTimestamps: true });
  },
};

/** For runs as a user of their own: `mkdir`, `cp` as that user, through the launcher (no shell). */
export function runUserCopier(launcher: ProcessLauncher): SessionCopier {
  const asRunUser = async (bin: string, args: string[]) => {
    const result = await runShortCommand(launcher, bin, args, STEP_TIMEOUT_MS);
    if (result.exitCode !== 0) throw new Error(`${bin} as the run user failed (exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''})`);
  };
  return {
    async copyTranscript(from, toDir, toName) {
      await asRunUser('mkdir', ['-p', '--', toDir]);
      await asRunUser('cp', ['--no-dereference', '--', from, join(toDir, toName)]);
    },
    async copyDir(from, to) {
      if (!from.writable) return copyServiceFiles(from, to);
      // -a: symlinks stay symlinks, modes stay; `from/.` copies the contents into the fork's own directory.
      await asRunUser('cp', ['-a', '--', `${from.cwd}/.`, `${to.cwd}/`]);
    },
  };
}
