import { mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface RunDir {
  /** The throw-away directory holding everything of one run. */
  path: string;
  /** The CLI's working directory: only what the run attaches lives here. */
  cwd: string;
  /** Beside cwd, not in it, so a prompt's mention cannot name it. */
  systemPromptFile: string;
}

export async function createRunDir(runsDir: string): Promise<RunDir> {
  await mkdir(runsDir, { recursive: true, mode: 0o700 });
  const path = await mkdtemp(join(runsDir, 'run-'));
  const cwd = join(path, 'cwd');
  await mkdir(cwd);
  return { path, cwd, systemPromptFile: join(path, 'system-prompt.txt') };
}

/** The name the CLI gives a working directory under `<config dir>/projects/`. */
export function claudeProjectSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/** Removes the run's directory and the per-directory state the CLI keeps in its config dir. */
export async function removeRunDir(runDir: RunDir, claudeConfigDir: string): Promise<void> {
  const cwds = new Set([runDir.cwd, await realpath(runDir.cwd).catch(() => runDir.cwd)]);
  await Promise.all([
    rm(runDir.path, { recursive: true, force: true }),
    ...[...cwds].map((cwd) => rm(join(claudeConfigDir, 'projects', claudeProjectSlug(cwd)), { recursive: true, force: true })),
  ]);
}

/** Removes run directories left behind by a crash; returns how many. */
export async function removeStaleRunDirs(runsDir: string, claudeConfigDir: string): Promise<number> {
  const entries = await readdir(runsDir).catch(() => [] as string[]);
  const stale = entries.filter((name) => name.startsWith('run-'));
  for (const name of stale) {
    const path = join(runsDir, name);
    await removeRunDir({ path, cwd: join(path, 'cwd'), systemPromptFile: join(path, 'system-prompt.txt') }, claudeConfigDir);
  }
  return stale.length;
}
