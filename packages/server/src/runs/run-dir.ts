// Each run's throw-away directory. These are a handful of metadata syscalls on
// a local disk (microseconds each), done synchronously: through the thread pool
// each would cost a round trip that is longer than the call itself.
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface RunDir {
  /** The throw-away directory holding everything of one run. */
  path: string;
  /** The CLI's working directory: only what the run attaches lives here. */
  cwd: string;
  /** Beside cwd, not in it, so a prompt's mention cannot name it. */
  systemPromptFile: string;
  appendSystemPromptFile: string;
}

function layout(path: string): RunDir {
  return { path, cwd: join(path, 'cwd'), systemPromptFile: join(path, 'system-prompt.txt'), appendSystemPromptFile: join(path, 'append-system-prompt.txt') };
}

/** Creates `runsDir` if needed and returns its real path (the CLI names projects by the real cwd). */
export function prepareRunsDir(runsDir: string): string {
  mkdirSync(runsDir, { recursive: true, mode: 0o700 });
  return realpathSync(runsDir);
}

/** @param runsDir a real path, from prepareRunsDir */
export function createRunDir(runsDir: string): RunDir {
  const runDir = layout(mkdtempSync(join(runsDir, 'run-')));
  mkdirSync(runDir.cwd);
  return runDir;
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
    removeRunDir(layout(join(runsDir, name)), claudeConfigDir);
  }
  return stale.length;
}
