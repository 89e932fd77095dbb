// Each run's throw-away directory. These are a handful of metadata syscalls on
// a local disk (microseconds each), done synchronously: through the thread pool
// each would cost a round trip that is longer than the call itself.
//
// With a run user, the service (root) never walks a tree that user can write:
// a process of that user could swap a directory for a symlink mid-walk and
// point root's removal anywhere. What root removes itself it names exactly
// (direct children of a directory the run user cannot replace); deeper trees
// are removed by the run user (removeAsRunUser), with that user's rights only.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The user a run's CLI executes as, when it is not the service's own. */
export interface RunOwner {
  uid: number;
  gid: number;
}

export interface RunDir {
  /** The throw-away directory holding everything of one run. */
  path: string;
  /** The CLI's working directory: only what the run attaches lives here. */
  cwd: string;
  /** Beside cwd, not in it, so a prompt's mention cannot name it. */
  systemPromptFile: string;
  appendSystemPromptFile: string;
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

function layout(path: string, owner: RunOwner | null, writable: boolean): RunDir {
  return { path, cwd: join(path, 'cwd'), systemPromptFile: join(path, 'system-prompt.txt'), appendSystemPromptFile: join(path, 'append-system-prompt.txt'), owner, writable };
}

/**
 * @param runsDir a real path, from prepareRunsDir
 * @param owner the run user. It may enter the run's directory, which stays the
 *   service's (0710, the user's group), so nothing in it can be renamed or
 *   replaced. It owns `cwd/` only when the run's tools can write; otherwise
 *   `cwd/` and everything in it is the service's and only readable by the
 *   user, so neither this run nor another can change the run's inputs.
 */
export function createRunDir(runsDir: string, owner: RunOwner | null, options: { writable: boolean }): RunDir {
  const runDir = layout(mkdtempSync(join(runsDir, 'run-')), owner, options.writable);
  mkdirSync(runDir.cwd, { mode: 0o700 });
  if (owner) {
    chownSync(runDir.path, -1, owner.gid);
    chmodSync(runDir.path, 0o710);
    if (options.writable) chownSync(runDir.cwd, owner.uid, owner.gid);
    else {
      chownSync(runDir.cwd, -1, owner.gid);
      chmodSync(runDir.cwd, 0o750);
    }
  }
  return runDir;
}

/** Makes a file the service placed in the run readable (or, in a writable run's cwd, owned) by the run user. */
export function handToRunUser(runDir: RunDir, path: string, options: { inCwd: boolean }): void {
  const { owner } = runDir;
  if (!owner) return;
  if (options.inCwd && runDir.writable) {
    chownSync(path, owner.uid, owner.gid);
  } else {
    chownSync(path, -1, owner.gid);
    chmodSync(path, 0o640);
  }
}

/** Writes a file of the run (a system prompt): readable by the run's CLI, changeable by nobody but the service. */
export function writeRunFile(runDir: RunDir, path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  handToRunUser(runDir, path, { inCwd: false });
}

/** The name the CLI gives a working directory under `<config dir>/projects/`. */
export function claudeProjectSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** Unlinks each direct child of `dir` (never following one); false when one is a directory. */
function unlinkChildren(dir: string): boolean {
  let flat = true;
  for (const name of readdirSync(dir)) {
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
 * its config dir (none with --restricted, but a later CLI might). Trees the
 * run user could write go through `removeAsRunUser` when there is a run user.
 */
export async function removeRunDir(runDir: RunDir, claudeConfigDir: string, removeAsRunUser: RemoveAsRunUser | null): Promise<void> {
  const deep: Array<{ path: string; keepTop: boolean }> = [];
  // The run user cannot replace cwd (its parent is the service's), so its direct children are safe to name.
  if (lstatOrNull(runDir.cwd) && !unlinkChildren(runDir.cwd)) deep.push({ path: runDir.cwd, keepTop: true });
  const projectState = join(claudeConfigDir, 'projects', claudeProjectSlug(runDir.cwd));
  if (lstatOrNull(projectState)) deep.push({ path: projectState, keepTop: false });
  if (deep.length > 0) {
    if (runDir.owner && removeAsRunUser) await removeAsRunUser(deep);
    else for (const { path } of deep) rmSync(path, { recursive: true, force: true });
  }
  if (existsSync(runDir.cwd)) rmdirSync(runDir.cwd);
  rmSync(runDir.systemPromptFile, { force: true });
  rmSync(runDir.appendSystemPromptFile, { force: true });
  rmdirSync(runDir.path);
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Removes run directories left behind by a crash; returns how many. Only at
 * start, after every process of the run user was killed: nothing can race it.
 */
export function removeStaleRunDirs(runsDir: string, claudeConfigDir: string): number {
  const stale = readdirSync(runsDir).filter((name) => name.startsWith('run-'));
  for (const name of stale) {
    const path = join(runsDir, name);
    rmSync(path, { recursive: true, force: true });
    rmSync(join(claudeConfigDir, 'projects', claudeProjectSlug(join(path, 'cwd'))), { recursive: true, force: true });
  }
  return stale.length;
}
