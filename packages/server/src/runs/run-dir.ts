// Each run's throw-away directory. These are a handful of metadata syscalls on
// a local disk (microseconds each), done synchronously: through the thread pool
// each would cost a round trip that is longer than the call itself.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
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
}

function layout(path: string, owner: RunOwner | null): RunDir {
  return { path, cwd: join(path, 'cwd'), systemPromptFile: join(path, 'system-prompt.txt'), appendSystemPromptFile: join(path, 'append-system-prompt.txt'), owner };
}

/**
 * @param runsDir a real path, from prepareRunsDir
 * @param owner the run user: it gets `cwd/` and may enter the run's directory,
 *   but cannot rename or replace what is in it (the directory stays the
 *   service's), so the later removal cannot be pointed anywhere else.
 */
export function createRunDir(runsDir: string, owner: RunOwner | null): RunDir {
  const runDir = layout(mkdtempSync(join(runsDir, 'run-')), owner);
  mkdirSync(runDir.cwd, { mode: 0o700 });
  if (owner) {
    chownSync(runDir.path, -1, owner.gid);
    chmodSync(runDir.path, 0o710);
    chownSync(runDir.cwd, owner.uid, owner.gid);
  }
  return runDir;
}

/** Writes a file of the run (a system prompt) readable by the run's CLI and nobody else. */
export function writeRunFile(runDir: RunDir, path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  if (runDir.owner) chownSync(path, runDir.owner.uid, runDir.owner.gid);
}

/** The name the CLI gives a working directory under `<config dir>/projects/`. */
export function claudeProjectSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** Removes the run's directory and the per-directory state the CLI keeps in its config dir. */
export function removeRunDir(runDir: RunDir, claudeConfigDir: string): void {
  try {
    // The layout is known, so name what is there: a recursive rm probes with
    // failing rmdir calls first and costs several times more.
    for (const name of readdirSync(runDir.cwd)) unlinkSync(join(runDir.cwd, name));
    rmdirSync(runDir.cwd);
    rmSync(runDir.systemPromptFile, { force: true });
    rmSync(runDir.appendSystemPromptFile, { force: true });
    rmdirSync(runDir.path);
  } catch {
    rmSync(runDir.path, { recursive: true, force: true }); // something unexpected in there
  }
  rmSync(join(claudeConfigDir, 'projects', claudeProjectSlug(runDir.cwd)), { recursive: true, force: true });
}

/** Removes run directories left behind by a crash; returns how many. */
export function removeStaleRunDirs(runsDir: string, claudeConfigDir: string): number {
  const stale = readdirSync(runsDir).filter((name) => name.startsWith('run-'));
  for (const name of stale) {
    removeRunDir(layout(join(runsDir, name), null), claudeConfigDir);
  }
  return stale.length;
}
