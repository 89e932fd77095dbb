import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findStrays, killStrays, listProcesses, type ProcessEntry } from './stray-processes.js';

const RUN = 10001;
const entry = (pid: number, ppid: number, uid: number): ProcessEntry => ({ pid, ppid, uids: [uid, uid, uid, uid] });

describe('findStrays', () => {
  const table = [
    entry(1, 0, 0), // init
    entry(50, 1, 0), // the spawn helper
    entry(100, 50, RUN), // a live run's CLI
    entry(101, 100, RUN), // its Bash tool
    entry(102, 101, RUN), // a grandchild, still in the run
    entry(200, 1, RUN), // escaped (setsid + double fork): reparented to init
    entry(201, 200, RUN), // and its child
    entry(300, 50, RUN), // a finished run's CLI, no longer a root
    entry(400, 1, 1000), // someone else's process
  ];

  it("names the run user's processes that descend from no live run", () => {
    expect(findStrays(RUN, new Set([100]), table).sort()).toEqual([200, 201, 300]);
  });

  it('names them all when no run is live', () => {
    expect(findStrays(RUN, new Set(), table).sort()).toEqual([100, 101, 102, 200, 201, 300]);
  });

  it('counts a process whose effective uid is the run user', () => {
    expect(findStrays(RUN, new Set(), [{ pid: 500, ppid: 1, uids: [0, RUN, RUN, RUN] }])).toEqual([500]);
  });
});

describe('killStrays', () => {
  it('stops and kills a real stray, and leaves the live root alone', async () => {
    const uid = process.getuid!();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const stray = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore', detached: true });
    const strayExit = new Promise((resolve) => stray.once('exit', (_code, signal) => resolve(signal)));
    try {
      // Only these two count as "the run user's": everything else of this uid is left out of the table.
      const list = () => listProcesses().filter((p) => p.pid === live.pid || p.pid === stray.pid);
      expect(killStrays(uid, new Set([live.pid!]), list)).toBe(1);
      expect(await strayExit).toBe('SIGKILL');
      expect(live.exitCode).toBeNull();
    } finally {
      live.kill('SIGKILL');
      stray.kill('SIGKILL');
    }
  });
});
