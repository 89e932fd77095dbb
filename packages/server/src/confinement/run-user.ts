// Who a run's CLI process executes as. A service running as root (as in the
// container) hands every run to an unprivileged user of its own, so that a
// granted shell cannot read the database, `.env` or other apps' uploads, which
// stay root's and private. A service that is not root has nobody to switch to.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The user runs execute as when it is not the service's own. */
export interface RunUser {
  /** The passwd name, or the uid as text when there is no entry. */
  name: string;
  uid: number;
  gid: number;
  /** HOME for the CLI: the passwd home, or CLAUDE_CONFIG_DIR when there is no entry. */
  home: string;
}

export type RunUserDecision =
  | { kind: 'switch'; user: RunUser }
  /** Runs execute as the service's own user; `reason` is logged at start. */
  | { kind: 'self'; reason: 'not_root' | 'root_by_choice' | 'default_user_missing' };

export class RunUserError extends Error {
  override name = 'RunUserError';
}

function parsePasswdLine(line: string): PasswdEntry | null {
  const [name, , uid, gid, , home] = line.trim().split(':');
  if (!name || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) return null;
  return { name, uid: Number(uid), gid: Number(gid), home: home || '/' };
}

/** A passwd entry by name or uid: `getent` (which sees NSS users too), else /etc/passwd. */
export function lookupPasswd(key: string): PasswdEntry | null {
  const getent = spawnSync('getent', ['passwd', key], { encoding: 'utf8', timeout: 5_000 });
  if (!getent.error) return getent.status === 0 ? parsePasswdLine(getent.stdout.split('\n')[0] ?? '') : null;
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const entry = parsePasswdLine(line);
    if (entry && (entry.name === key || String(entry.uid) === key)) return entry;
  }
  return null;
}

export interface RunUserInput {
  /** RUN_AS_USER, or the default when unset. */
  spec: string;
  explicit: boolean;
  /** The service's own uid (process.getuid()). */
  serviceUid: number;
  /** CLAUDE_CONFIG_DIR when set: the HOME of a numeric user without a passwd entry. */
  claudeConfigDir: string | null;
  lookup?: (key: string) => PasswdEntry | null;
}

/** Decides who runs execute as; throws RunUserError for a RUN_AS_USER that cannot be used. */
export function decideRunUser(input: RunUserInput): RunUserDecision {
  const { spec, explicit, serviceUid, lookup = lookupPasswd } = input;
  if (serviceUid !== 0) return { kind: 'self', reason: 'not_root' };
  const numeric = /^(\d+)(?::(\d+))?$/.exec(spec);
  const entry = lookup(numeric ? numeric[1]! : spec);
  if (!entry && !numeric) {
    if (!explicit) return { kind: 'self', reason: 'default_user_missing' };
    throw new RunUserError(`RUN_AS_USER: no user named ${JSON.stringify(spec)} on this system; create it (useradd --system --user-group --create-home ${spec}) or name another`);
  }
  const uid = numeric ? Number(numeric[1]) : entry!.uid;
  if (uid === 0) return { kind: 'self', reason: 'root_by_choice' };
  const gid = numeric?.[2] !== undefined ? Number(numeric[2]) : (entry?.gid ?? uid);
  if (gid === 0) throw new RunUserError(`RUN_AS_USER: ${JSON.stringify(spec)} has group 0 (root's): give it a group of its own`);
  if (entry) return { kind: 'switch', user: { name: entry.name, uid, gid, home: entry.home } };
  if (!input.claudeConfigDir) {
    throw new RunUserError(`RUN_AS_USER: uid ${uid} has no passwd entry, so no home: set CLAUDE_CONFIG_DIR to a directory it owns`);
  }
  return { kind: 'switch', user: { name: String(uid), uid, gid, home: input.claudeConfigDir } };
}
