// Each run's throw-away directory: one directory, the CLI's working
// directory, made by mkdtemp and removed by rmdir, and its system prompts as
// files beside it (never in it, so a prompt's mention cannot name them). Each
// directory level costs a mkdir and an rmdir (~0.1 ms each on this kind of
// disk), so there is one. These metadata syscalls are done synchronously:
// through the thread pool each would cost a round trip longer than the call.
//
// With a run user, the service (root) never walks a tree that user can write:
// a process of that user could swap a directory for a symlink mid-walk and
// point root's removal anywhere. What root removes itself it names exactly
// (direct children of a directory the run user cannot replace); deeper trees
// are removed by the run user (removeAsRunUser), with that user's rights only.
import { chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The user a run's CLI executes as, when it is not the service's own. */
export interface RunOwner {
  uid: number;
  gid: number;
}

export interface RunDir {
  /** The CLI's working directory, directly under RUNS_DIR: only what the run attaches lives here. */
  cwd: string;
  /** Beside cwd, not in it, so a prompt's mention cannot name it. */
  systemPromptFile: string;
  appendSystemPromptFile: string;
  /** The files beside cwd this run wrote (and removes). */
  written: string[];
  /** Who the run's CLI executes as; null: the service's own user. */
  owner: RunOwner | null;
  /** The run's tools can write files: its cwd and attachments belong to the run user. */
  writable: boolean;
}

/**
 * Removes, with the run user's rights, trees that user could write: each
 * path's contents, and the path itself unless `keepTop`. Resolves when done.
 */
export type RemoveAsRunUser = (trees: ReadonlyArray<{ path: string; keepTop: boolean }>) => Promise<void>;

/**
 * @param runsDir a real path, from prepareRunsDir: the service's, so the run
 *   user (who may only enter it) can neither rename nor replace what is in it.
 * @param owner the run user. It owns the cwd only when the run's tools can
 *   write; otherwise the cwd and everything in it is the service's and only
 *   readable by the user, so neither this run nor another can change the
 *   run's inputs.
 */
export function createRunDir(runsDir: string, owner: RunOwner | null, options: { writable: boolean; kind?: RunDirKind }): RunDir {
  // A session's directory lives for hours, so its name is not guessable by another app's run (RUNS_DIR is not listable);
  // hex, since the CLI's per-directory state is named by the path with every other character made `-`.
  const cwd = options.kind === 'ses' ? join(runsDir, `ses-${randomBytes(16).toString('hex')}`) : mkdtempSync(join(runsDir, 'run-'));
  if (options.kind === 'ses') mkdirSync(cwd, { mode: 0o700 });
  const runDir = runDirAt(cwd, owner, options.writable);
  if (owner) {
    if (options.writable) chownSync(runDir.cwd, owner.uid, owner.gid);
    else {
      chownSync(runDir.cwd, -1, owner.gid);
      chmodSync(runDir.cwd, 0o750);
    }
  }
  return runDir;
}

/** Tools that can change files: a run (or session) granted one gets a directory the run user may write, and copies of its attachments. */
const WRITING_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'NotebookEdit', 'Bash']);

export function canWriteFiles(tools: readonly string[]): boolean {
  return tools.some((tool) => WRITING_TOOLS.has(tool));
}

/** What a directory under RUNS_DIR is for: one run (removed after it), or a session (removed when the session ends). */
export type RunDirKind = 'run' | 'ses';

/** The RunDir of a directory that exists (a session's, for its next turn). */
export function runDirAt(cwd: string, owner: RunOwner | null, writable: boolean): RunDir {
  return { cwd, systemPromptFile: `${cwd}.system-prompt.txt`, appendSystemPromptFile: `${cwd}.append-system-prompt.txt`, written: [], owner, writable };
}

/** Removes the files a turn wrote beside its session's directory (its system prompts); the directory stays. */
export function removeWrittenFiles(runDir: RunDir): void {
  for (const path of runDir.written.splice(0)) rmSync(path, { force: true });
}

/** Makes a file the service placed in the run readable (or, in a writable run's cwd, owned) by the run user. */
export function handToRunUser(runDir: RunDir, path: string, options: { inCwd: boolean }): void {
  const { owner } = runDir;
  if (!owner) return;
  if (options.inCwd && runDir.writable) {
    // A session's writable directory is the run user's: never follow what may have been swapped in.
    lchownSync(path, owner.uid, owner.gid);
  } else {
    chownSync(path, -1, owner.gid);
    chmodSync(path, 0o640);
  }
}

/** Writes a file of the run (a system prompt): readable by the run's CLI, changeable by nobody but the service. */
export function writeRunFile(runDir: RunDir, path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  runDir.written.push(path);
  handToRunUser(runDir, path, { inCwd: false });
}

/** The name the CLI gives a working directory under `<config dir>/projects/`. */
export function claudeProjectSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** Unlinks each direct child of `dir` (never following one); false when one is a directory. */
function unlinkChildren(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  let flat = true;
  for (const name of names) {
    try {
      unlinkSync(join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EISDIR' && code !== 'EPERM') throw error;
      flat = false;
    }
  }
  return flat;
}

/**
 * Removes the run's directory and the per-directory state the CLI may keep in
 * the config dirs it ran with (one per Claude account it tried; none with
 * --restricted, but a later CLI might). Trees the run user could write go
 * through `removeAsRunUser` when there is a run user.
 */
export async function removeRunDir(runDir: RunDir, claudeConfigDirs: readonly string[], removeAsRunUser: RemoveAsRunUser | null): Promise<void> {
  try {
    const deep: Array<{ path: string; keepTop: boolean }> = [];
    // The run user cannot replace cwd (its parent is the service's), so its direct children are safe to name.
    if (!unlinkChildren(runDir.cwd)) deep.push({ path: runDir.cwd, keepTop: true });
    for (const configDir of new Set(claudeConfigDirs)) {
      const projectState = join(configDir, 'projects', claudeProjectSlug(runDir.cwd));
      if (exists(projectState)) deep.push({ path: projectState, keepTop: false });
    }
    if (deep.length > 0) {
      if (runDir.owner && removeAsRunUser) await removeAsRunUser(deep);
      else for (const { path } of deep) rmSync(path, { recursive: true, force: true });
    }
    try {
      rmdirSync(runDir.cwd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  } finally {
    // The prompts go whatever happened to the directory: they are the app's, and only the service wrote them.
    for (const path of runDir.written) rmSync(path, { force: true });
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes run directories left behind by a crash, and session directories
 * whose session is gone (`liveSessions`: the names to keep; the sessions
 * themselves see to theirs); returns how many. Only at start, after every
 * process of the run user was killed: nothing can race it.
 */
export function removeStaleRunDirs(runsDir: string, claudeConfigDirs: readonly string[], liveSessions: ReadonlySet<string> = new Set()): number {
  // Run and session directories (run-XXXXXX, ses-XXXXXX) and the prompt files beside them (*.txt): a turn's last only while it runs.
  const stale = readdirSync(runsDir).filter((name) => (name.startsWith('run-') || name.startsWith('ses-')) && !liveSessions.has(name));
  // A config dir and its projects/ are the run user's: a run with Bash could have made either a symlink
  // to point root's recursive removal elsewhere. Their per-directory state is removed only through real directories.
  const projectDirs = [...new Set(claudeConfigDirs)].filter((dir) => isRealDirectory(dir) && isRealDirectory(join(dir, 'projects'))).map((dir) => join(dir, 'projects'));
  for (const name of stale) {
    const path = join(runsDir, name);
    rmSync(path, { recursive: true, force: true });
    // Directories of the earlier layout (run-X/cwd) too.
    for (const projects of projectDirs) {
      for (const cwd of [path, join(path, 'cwd')]) rmSync(join(projects, claudeProjectSlug(cwd)), { recursive: true, force: true });
    }
  }
  return stale.filter((name) => !name.endsWith('.txt')).length;
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
