// A session is sealed between its turns: nothing of it is where a run can
// reach it. Every run executes as the same run user, so a run with Bash could
// otherwise read (and change) any session's directory and the CLI's
// transcript of it, for as long as the session lives. So:
// - its directory is the service's (0700) between turns, and handed back to
//   the run user only while a turn of its own runs;
// - the CLI's transcript is taken into DATA_DIR/sessions after each turn and
//   put back where the CLI looks (projects/<cwd slug>/) just before the next;
//   a fork's copy of its origin's history waits there too.
// Root never walks or writes what the run user can write: a transcript is
// read with O_NOFOLLOW from a file root names exactly, and put back by the run
// user itself (`mkdir`, `dd`, through the spawn helper).
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { chmod, lchown, mkdir, open, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../errors.js';
import { claudeProjectSlug, type RemoveAsRunUser, type RunDir, type RunOwner } from '../claude/run-dir.js';
import type { ProcessLauncher } from '../process/process-launcher.js';
import { runShortCommand } from '../process/short-command.js';

/** The largest history a session may carry into a turn (it goes to the run user through the spawn helper). */
export const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;
const STEP_TIMEOUT_MS = 60_000;

export interface SessionSealDeps {
  /** DATA_DIR/sessions: the service's own, 0700. */
  storeDir: string;
  claudeConfigDir: string;
  runOwner: RunOwner | null;
  /** The service's own uid and gid: a sealed directory is theirs. */
  serviceIds: { uid: number; gid: number };
  launcher: ProcessLauncher;
  removeAsRunUser: RemoveAsRunUser | null;
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

  /** Where the CLI keeps the transcripts of conversations held in `dir`. */
  projectDir(dir: RunDir): string {
    return join(this.deps.claudeConfigDir, 'projects', claudeProjectSlug(dir.cwd));
  }

  /** Hands the directory to the run user and puts `history` (a stored transcript) where the CLI finds it as `cliName`. */
  async open(dir: RunDir, history: { stored: string; cliName: string } | null): Promise<void> {
    await this.unlock(dir);
    if (!history) return;
    const text = await readFile(history.stored);
    if (text.length > MAX_TRANSCRIPT_BYTES) {
      throw new ApiError('session_limit_reached', `The session's history has grown past ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB: start a new session.`);
    }
    await this.place(text, join(this.projectDir(dir), history.cliName));
  }

  /**
   * After a turn: the CLI's transcript `cliName` (when it wrote one) becomes
   * the stored history at `stored`; the CLI's copies (`cliName` and any of
   * `alsoRemove`) are removed, and the directory is sealed. True when a
   * transcript was taken.
   */
  async close(dir: RunDir, cliName: string, stored: string, alsoRemove: readonly string[] = []): Promise<boolean> {
    const projectDir = this.projectDir(dir);
    try {
      return await this.take(join(projectDir, cliName), stored);
    } finally {
      // Whatever was there, taken or refused, leaves the run user's side, and the directory is sealed.
      try {
        await this.removeCliCopies(projectDir, [cliName, ...alsoRemove]);
      } finally {
        await this.lock(dir);
      }
    }
  }

  /** The service's alone: the run user can neither enter nor list it (a directory in RUNS_DIR, which the run user cannot rename). */
  async lock(dir: RunDir): Promise<void> {
    if (!dir.owner) return;
    await lchown(dir.cwd, this.deps.serviceIds.uid, this.deps.serviceIds.gid);
    await chmod(dir.cwd, 0o700);
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
    await writeFile(to, await readFile(from), { mode: 0o600, flag: 'wx' });
  }

  /** Copies `from` (the name the CLI wrote) to `stored`, never following a symlink there; false when the CLI wrote none. */
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
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error(`${from} is not a regular file`);
      // What the CLI wrote is the run user's own, with one name: a hard link to someone else's file is not a history.
      const owner = this.deps.runOwner;
      if (owner && (stat.uid !== owner.uid || stat.nlink !== 1)) throw new Error(`${from} is not a file of the run user's with one link`);
      await pipeline(createReadStream('', { fd: handle.fd, autoClose: false }), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, stored);
      return true;
    } finally {
      await handle.close();
      await rm(partial, { force: true });
    }
  }

  /** Puts `text` at `path` in the CLI's projects dir, as the run user when there is one. */
  private async place(text: Buffer, path: string): Promise<void> {
    if (!this.deps.runOwner) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, text, { mode: 0o600, flag: 'wx' });
      return;
    }
    await this.asRunUser('mkdir', ['-p', '--', dirname(path)]);
    await this.asRunUser('dd', [`of=${path}`, 'conv=excl', 'status=none'], text.toString('utf8'));
  }

  /** Unlinks the CLI's files by name (unlink never follows the last component), then the directory when empty. */
  private async removeCliCopies(projectDir: string, names: readonly string[]): Promise<void> {
    for (const name of names) await unlink(join(projectDir, name)).catch(ignoreMissing);
    try {
      await rmdir(projectDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // More than the transcript (a later CLI's per-session files): removed by the run user, who made them.
      if (this.deps.removeAsRunUser) await this.deps.removeAsRunUser([{ path: projectDir, keepTop: false }]);
      else await rm(projectDir, { recursive: true, force: true });
    }
  }

  private async asRunUser(bin: string, args: string[], stdin = ''): Promise<void> {
    const result = await runShortCommand(this.deps.launcher, bin, args, STEP_TIMEOUT_MS, stdin);
    if (result.exitCode !== 0) throw new Error(`${bin} as the run user failed (exit ${result.exitCode ?? 'none'}${result.timedOut ? ', timed out' : ''})`);
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
