// Start-up checks of the directories a run's CLI works in: RUNS_DIR (made and
// locked down here) and the CLI's config dir (checked, reported, made when
// missing). Problems an operator must fix are returned as warnings to log.
import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunUser } from './run-user.js';

/** Can `user` (with its primary group only, as the CLI gets it) pass through this directory? */
function canEnter(path: string, user: RunUser): boolean {
  const { mode, uid, gid } = statSync(path);
  if (uid === user.uid) return (mode & 0o100) !== 0;
  if (gid === user.gid) return (mode & 0o010) !== 0;
  return (mode & 0o001) !== 0;
}

/**
 * Creates RUNS_DIR when needed and returns its real path (the CLI names its
 * per-directory state by the real cwd). It must be a directory the service
 * owns: private to it (0700), or, with a run user, enterable by that user's
 * group but not listable (0710), so one run cannot look for another's.
 */
export function prepareRunsDir(runsDir: string, serviceUid: number, user: RunUser | null): string {
  const firstCreated = mkdirSync(runsDir, { recursive: true, mode: 0o700 });
  // Parents made just now (/var/lib/clawdforge for the default) are the service's: let the run user pass through.
  if (user && firstCreated) {
    for (let dir = dirname(runsDir); dir.length >= firstCreated.length; dir = dirname(dir)) chmodSync(dir, 0o711);
  }
  // The path itself, not what it resolves to: a symlink planted where RUNS_DIR
  // is expected would otherwise have root re-permission and empty its target.
  const own = lstatSync(runsDir);
  if (own.isSymbolicLink() || !own.isDirectory() || own.uid !== serviceUid) {
    throw new Error(`RUNS_DIR ${runsDir} is not a directory owned by the service (uid ${serviceUid}), or is a symlink; remove it or choose another`);
  }
  const real = realpathSync(runsDir);
  if (!user) {
    chmodSync(real, 0o700);
    return real;
  }
  chownSync(real, serviceUid, user.gid);
  chmodSync(real, 0o710);
  for (let ancestor = dirname(real); ; ancestor = dirname(ancestor)) {
    if (!canEnter(ancestor, user)) {
      throw new Error(`RUNS_DIR ${real}: runs execute as ${user.name}, who cannot enter ${ancestor}; choose a RUNS_DIR it can reach`);
    }
    if (ancestor === dirname(ancestor)) break;
  }
  return real;
}

/** What an operator should hear about the CLI's config dir at start (each a log line). */
export function checkClaudeConfigDir(configDir: string, user: RunUser | null, settingsFile: string | null): string[] {
  const warnings: string[] = [];
  if (user) {
    if (!existsSync(configDir)) {
      if (existsSync(dirname(configDir))) {
        mkdirSync(configDir, { mode: 0o700 });
        lchownSync(configDir, user.uid, user.gid); // never through a symlink swapped in meanwhile
      } else {
        warnings.push(`the CLI's config dir ${configDir} does not exist, nor its parent: create it for ${user.name} and log in as ${user.name}`);
      }
    } else if (statSync(configDir).uid !== user.uid) {
      warnings.push(
        `the CLI's config dir ${configDir} does not belong to ${user.name}, who runs the CLI: it cannot keep the login there ` +
          `(fix: chown -R ${user.uid}:${user.gid} ${configDir})`,
      );
    }
  }
  // Runs use --restricted, which ignores these files; an operator may rely on them without knowing.
  if (!settingsFile) {
    for (const name of ['settings.json', 'settings.local.json']) {
      const path = join(configDir, name);
      if (existsSync(path)) warnings.push(`${path} is ignored by runs (--restricted): move what runs need into a file named by CLAUDE_SETTINGS_FILE`);
    }
  }
  return warnings;
}
