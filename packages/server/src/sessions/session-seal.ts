// A session is sealed between its turns: nothing of it is where a run can
// reach it. Every run executes as the same run user, so a run with Bash could
// otherwise read (and change) any session's directory and the CLI's
// transcript of it, for as long as the session lives. So:
// - its directory is the service's (0700) between turns, and handed back to
//   the run user only while a turn of its own holds its queue slot;
// - the CLI's transcript is taken into DATA_DIR/sessions after each turn and
//   put back where the CLI looks (projects/<cwd slug>/) just before the next,
//   into a directory the run user has just emptied and made anew, so nothing
//   planted there in between becomes the session's history; a fork's copy of
//   its origin's history waits in the store too.
// Root never writes into, or walks, a tree the run user can write: the run
// user itself clears and fills the CLI's directory (`rm`, `mkdir`, `cp`,
// through the spawn helper). Root reads one file there, by a name it chose,
// with O_NOFOLLOW, and takes it only when it is a regular file of the run
// user's own with one link and within the size limit: a file the run user
// could read anyway, so a swapped parent directory can show root nothing new.
import { constants, createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, copyFile, lchown, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../errors.js';
import { claudeProjectSlug, type RunDir, type RunOwner } from '../claude/run-dir.js';
import type { ProcessLauncher } from '../process/process-launcher.js';
import { runShortCommand } from '../process/short-command.js';
import { killHoldersUnder } from '../process/stray-processes.js';

/** The largest history a session may carry: past it, a turn is refused rather than the disk filled with one. */
export const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;
const STEP_TIMEOUT_MS = 60_000;

const tooLong = () =>
  new ApiError('session_limit_reached', `The session's history has grown past ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB: start a new session.`);

export interface SessionSealDeps {
  /** DATA_DIR/sessions: the service's own, 0700. */
  storeDir: string;
  runOwner: RunOwner | null;
  /** The service's own uid and gid: a sealed directory is theirs. */
  serviceIds: { uid: number; gid: number };
  launcher: ProcessLauncher;
}

export class SessionSeal {
  constructor(private readonly deps: SessionSealDeps) {}

  /** The session's history, kept by the service between turns. */
  transcriptOf(sessionId: string): string {
    return join(this.deps.storeDir, `${sessionId}.jsonl`);
  }

  /** A fork's copy of its origin's history, until its first turn forks from it. */
  forkSourceOf(sessionId: string): string {
    return join(this.deps.storeDir, `${sessionId}.fork.jsonl`);
  }

  /** Where the CLI, run with `configDir` (the turn's Claude account's), keeps the transcripts of conversations held in `dir`. */
  projectDir(dir: RunDir, configDir: string): string {
    return join(configDir, 'projects', claudeProjectSlug(dir.cwd));
  }

  /**
   * Before a turn: the CLI's directory for the session (under the turn's
   * config dir) emptied and made anew, `history` (a stored transcript) put
   * there as `cliName`, and the session's directory handed to the run user.
   * The history is the service's, so it follows a session to any account.
   */
  async open(dir: RunDir, configDir: string, history: { stored: string; cliName: string } | null): Promise<void> {
    if (history) await this.checkSize(history.stored);
    await this.clearCliState(dir, configDir, true);
    if (history) await this.place(history.stored, join(this.projectDir(dir, configDir), history.cliName), dir);
    await this.unlock(dir);
  }

  /**
   * After a turn: when `take`, the CLI's transcript `cliName` (if it wrote
   * one) becomes the stored history at `stored`; then the CLI's directory for
   * the session goes, and the session's directory is sealed, whatever
   * happened. True when a transcript was taken.
   */
  async close(dir: RunDir, configDir: string, cliName: string, stored: string, take: boolean, options: { evict: boolean } = { evict: true }): Promise<boolean> {
    try {
      return take ? await this.take(join(this.projectDir(dir, configDir), cliName), stored) : false;
    } finally {
      try {
        await this.clearCliState(dir, configDir, false);
      } finally {
        await this.lock(dir, options);
      }
    }
  }

  /**
   * The service's alone: the run user can neither enter nor list it (a
   * directory in RUNS_DIR, which the run user cannot rename). With `evict`,
   * no process of the run user keeps a handle taken inside it while it was
   * open (a shell's working directory, an open file): such a process is
   * killed. A directory just made, or one at start, has had none.
   */
  async lock(dir: RunDir, options: { evict: boolean } = { evict: false }): Promise<void> {
    if (!dir.owner) return;
    await lchown(dir.cwd, this.deps.serviceIds.uid, this.deps.serviceIds.gid);
    await chmod(dir.cwd, 0o700);
    if (options.evict) killHoldersUnder(dir.cwd, dir.owner.uid);
  }

  /** As a run's directory is: the run user's when its tools can write, else the service's, readable by the run user's group. */
  async unlock(dir: RunDir): Promise<void> {
    const { owner } = dir;
    if (!owner) return;
    if (dir.writable) {
      await lchown(dir.cwd, owner.uid, owner.gid);
      await chmod(dir.cwd, 0o700);
    } else {
      await lchown(dir.cwd, this.deps.serviceIds.uid, owner.gid);
      await chmod(dir.cwd, 0o750);
    }
  }

  /** Removes the CLI's directory for the session (as the run user, who made what is in it), and, to start a turn, makes it anew. */
  async clearCliState(dir: RunDir, configDir: string, remake: boolean): Promise<void> {
    const projectDir = this.projectDir(dir, configDir);
    if (!this.deps.runOwner) {
      await rm(projectDir, { recursive: true, force: true });
      if (remake) await mkdir(projectDir, { recursive: true, mode: 0o700 });
      return;
    }
    await this.asRunUser('rm', ['-rf', '--', projectDir]);
    // Not -p for the directory itself: one that reappeared meanwhile is someone else's, and the turn does not start.
    if (!remake) return;
    if (!existsSync(dirname(projectDir))) await this.asRunUser('mkdir', ['-p', '--', dirname(projectDir)]); // the login's first run
    await this.asRunUser('mkdir', ['--', projectDir]);
  }

  /** Removes stored histories (and interrupted copies) of sessions not in `live`; returns how many files. */
  async removeStoredExcept(live: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.deps.storeDir)) {
      if (live.has(name.split('.')[0]!) && !name.endsWith('.partial')) continue;
      await rm(join(this.deps.storeDir, name), { force: true });
      removed += 1;
    }
    return removed;
  }

  /** Copies a file of the store (the origin's history into a fork's source). */
  async copyStored(from: string, to: string): Promise<void> {
    await this.checkSize(from);
    await copyFile(from, to, constants.COPYFILE_EXCL);
  }

  private async checkSize(path: string): Promise<void> {
    if ((await stat(path)).size > MAX_TRANSCRIPT_BYTES) throw tooLong();
  }

  /** Copies `from` (the name the CLI wrote) to `stored`; false when the CLI wrote none. Refuses anything but the run user's own transcript. */
  private async take(from: string, stored: string): Promise<boolean> {
    let handle;
    try {
      // NONBLOCK: a FIFO planted under the name must not hang the service; a non-file is refused below.
      handle = await open(from, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const partial = `${stored}.partial`;
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error(`${from} is not a regular file`);
      // What the CLI wrote is the run user's own, with one name: a hard link to someone else's file is not a history.
      const owner = this.deps.runOwner;
      if (owner && (info.uid !== owner.uid || info.nlink !== 1)) throw new Error(`${from} is not a file of the run user's with one link`);
      if (info.size > MAX_TRANSCRIPT_BYTES) throw new Error(`${from} is ${info.size} bytes, past the history limit`);
      // At most the limit, even if it grows meanwhile (a sparse file reads as zeros: never more than was checked).
      const source = createReadStream('', { fd: handle.fd, autoClose: false, start: 0, end: MAX_TRANSCRIPT_BYTES - 1 });
      await pipeline(source, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, stored);
      return true;
    } finally {
      await handle.close();
      await rm(partial, { force: true });
    }
  }

  /**
   * Copies the stored history to `path` in the CLI's directory the run user
   * has just made, as the run user when there is one. The run user cannot
   * read the store, so the history is handed over as a file beside the
   * session's directory in RUNS_DIR (where the run user may enter but not
   * list, as for a run's system prompt), readable by its group for the copy
   * and removed after it: nothing of it passes through memory.
   */
  private async place(stored: string, path: string, dir: RunDir): Promise<void> {
    const owner = this.deps.runOwner;
    if (!owner) return copyFile(stored, path, constants.COPYFILE_EXCL);
    const handover = `${dir.cwd}.history.jsonl`;
    try {
      await copyFile(stored, handover, constants.COPYFILE_EXCL);
      await lchown(handover, this.deps.serviceIds.uid, owner.gid);
      await chmod(handover, 0o640);
      await this.asRunUser('cp', ['--no-preserve=all', '--', handover, path]);
    } finally {
      await rm(handover, { force: true });
    }
  }

  private async asRunUser(bin: string, args: string[]): Promise<void> {
    const result = await runShortCommand(this.deps.launcher, bin, args, STEP_TIMEOUT_MS);
    if (result.exitCode !== 0) throw new Error(`${bin} as the run user failed (exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''})`);
  }
}
