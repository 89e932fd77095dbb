// Secrets at rest: the data directory, the database and the uploads are the
// service's alone, whatever mode they were created with (a `mkdir -p` gives
// 0755, SQLite 0644). Enforced at every start, not only on creation.
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ModeChange {
  path: string;
  /** The mode found, as octal text (e.g. "0755"). */
  was: string;
  now: string;
}

const octal = (mode: number) => '0' + (mode & 0o777).toString(8).padStart(3, '0');

/** Sets `path` to `mode` when group or others had any access; returns the change, if one was made. */
function restrict(path: string, mode: number): ModeChange | null {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch {
    return null; // not there (yet): created private later
  }
  if ((current & 0o077) === 0) return null;
  chmodSync(path, mode);
  return { path, was: octal(current), now: octal(mode) };
}

/**
 * DATA_DIR 0700; the database and its -wal and -shm 0600; the uploads
 * directory 0700 and each upload 0600. Returns each change made, and how many
 * uploads were tightened (counted, not named: there may be thousands).
 */
export function enforcePrivateModes(dataDir: string, databaseFile: string, filesDir: string): { changes: ModeChange[]; uploads: number } {
  const changes: ModeChange[] = [];
  const note = (change: ModeChange | null) => change && changes.push(change);
  note(restrict(dataDir, 0o700));
  for (const suffix of ['', '-wal', '-shm', '-journal']) note(restrict(join(dataDir, databaseFile + suffix), 0o600));
  note(restrict(filesDir, 0o700));
  let uploads = 0;
  for (const name of safeList(filesDir)) if (restrict(join(filesDir, name), 0o600)) uploads += 1;
  return { changes, uploads };
}

/** The mode of a `.env` that group or others can read, or null when it is private (or absent). */
export function readableByOthers(path: string): string | null {
  try {
    const mode = statSync(path).mode & 0o777;
    return (mode & 0o044) !== 0 ? octal(mode) : null;
  } catch {
    return null;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
