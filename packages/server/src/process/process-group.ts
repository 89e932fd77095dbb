// Children are spawned detached, each leading its own process group, because the
// CLI starts children of its own: signalling the group reaches all of them.

/** Sends `signal` to the whole process group led by `pid`; false when it is already gone. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}
