// Processes of the run user that belong to no live run. A granted shell can
// start one that leaves its run's process group and session (setsid, a double
// fork), so killing the run's group does not reach it, and it would watch or
// tamper with later runs, which share the user. A run's processes descend from
// its CLI; any other process of that uid is a stray and is killed.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Real, effective, saved and filesystem uid. */
  uids: number[];
}

/** Every process visible in /proc (those that vanish while being read are skipped). */
export function listProcesses(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const uids = (/^Uid:\s+(.*)$/m.exec(status)?.[1] ?? '').trim().split(/\s+/).map(Number);
      entries.push({ pid: Number(name), ppid, uids });
    } catch {
      // gone meanwhile
    }
  }
  return entries;
}

/** Processes of `uid` that do not descend from any of `roots` (the live runs' CLIs). */
export function findStrays(uid: number, roots: ReadonlySet<number>, processes: readonly ProcessEntry[]): number[] {
  const parentOf = new Map(processes.map((entry) => [entry.pid, entry.ppid]));
  const inLiveRun = (pid: number) => {
    for (let current: number | undefined = pid, depth = 0; current !== undefined && current > 1 && depth < 4096; depth++) {
      if (roots.has(current)) return true;
      current = parentOf.get(current);
    }
    return false;
  };
  return processes.filter((entry) => entry.uids.includes(uid) && !inLiveRun(entry.pid)).map((entry) => entry.pid);
}

/** Kills every stray of `uid`; returns how many there were. */
export function killStrays(uid: number, roots: ReadonlySet<number>, list: () => ProcessEntry[] = listProcesses): number {
  return stopThenKill(() => findStrays(uid, roots, list()));
}

/**
 * Stops what `find` names and asks again until it names nothing new (so a
 * process that forks, or passes a handle on, while being swept cannot slip
 * past), then kills them all. Returns how many.
 */
function stopThenKill(find: (stopped: ReadonlySet<number>) => number[]): number {
  const stopped = new Set<number>();
  for (let pass = 0; pass < 20; pass++) {
    const fresh = find(stopped).filter((pid) => !stopped.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signal(pid, 'SIGSTOP');
      stopped.add(pid);
    }
  }
  for (const pid of stopped) signal(pid, 'SIGKILL');
  return stopped.size;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The working directory of `pid` (without the " (deleted)" Linux adds when it is gone), or null. */
function cwdOf(pid: string): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

/**
 * Kills every process whose working directory lies under `dir`, and its
 * process group: at start, the runs of a service that died with its spawn
 * helper (both SIGKILLed at once) are still running there. Returns how many.
 */
export function killProcessesUnder(dir: string): number {
  let killed = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cwd = cwdOf(name);
    if (cwd === null || !(cwd === dir || cwd.startsWith(dir + '/'))) continue;
    try {
      const pgid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
      if (pgid > 1) process.kill(-pgid, 'SIGKILL');
    } catch {
      // no group of its own, or gone
    }
    signal(Number(name), 'SIGKILL');
    killed += 1;
  }
  return killed;
}

/** Whether `path` is `dir` or lies under it. */
const isUnder = (path: string, dir: string) => path === dir || path.startsWith(dir + '/');

/** Where `pid` holds on to the file system: its working directory, its root, and its open files. */
function holdsOf(pid: string): string[] {
  const links: string[] = [];
  for (const link of ['cwd', 'root']) {
    try {
      links.push(readlinkSync(`/proc/${pid}/${link}`));
    } catch {
      // gone meanwhile
    }
  }
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        links.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // gone meanwhile
  }
  return links.map((link) => link.replace(/ \(deleted\)$/, ''));
}

/**
 * Kills every process of `uid` that holds anything under `dir` (its working
 * directory, its root, an open file or directory): sealing a directory stops
 * new lookups into it, not handles taken before. Returns how many.
 */
export function killHoldersUnder(dir: string, uid: number, list: () => ProcessEntry[] = listProcesses): number {
  return stopThenKill((stopped) =>
    list()
      .filter((entry) => entry.uids.includes(uid) && !stopped.has(entry.pid) && holdsOf(String(entry.pid)).some((path) => isUnder(path, dir)))
      .map((entry) => entry.pid),
  );
}
