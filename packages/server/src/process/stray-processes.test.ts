import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/processes.js';
import { findStrays, killHoldersUnder, killStrays, listProcesses, type ProcessEntry } from './stray-processes.js';

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

// Switching a child to another uid needs root (CI runs as root).
describe.skipIf(process.getuid?.() !== 0)('killHoldersUnder', () => {
  it("kills the user's processes holding a working directory or an open file under the directory, and no other", async () => {
    const { mkdtempSync, mkdirSync, openSync, closeSync, chmodSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'clawdforge-holders-'));
    chmodSync(root, 0o755);
    const sealed = join(root, 'ses-x');
    mkdirSync(join(sealed, 'deep'), { recursive: true });
    const elsewhere = join(root, 'other');
    mkdirSync(elsewhere);
    const file = openSync(join(sealed, 'deep', 'held.txt'), 'w');
    const sleeper = (cwd: string, stdin: number | 'ignore') =>
      spawn('sleep', ['600'], { cwd, uid: RUN, gid: RUN, stdio: [stdin, 'ignore', 'ignore'] });
    const inside = sleeper(join(sealed, 'deep'), 'ignore');
    const holdingFile = sleeper(elsewhere, file);
    const outside = sleeper(elsewhere, 'ignore');
    closeSync(file);
    const exited = (child: ReturnType<typeof spawn>) => new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      // Each child has become the user and is in its directory (sleep has exec'd).
      const settled = (child: ReturnType<typeof spawn>) => listProcesses().some((p) => p.pid === child.pid && p.uids.includes(RUN)) && readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith('sleep');
      await waitFor(() => [inside, holdingFile, outside].every(settled));
      expect(killHoldersUnder(sealed, RUN)).toBe(2);
      await Promise.all([exited(inside), exited(holdingFile)]);
      expect(outside.exitCode).toBeNull();
      expect(outside.killed).toBe(false);
    } finally {
      for (const child of [inside, holdingFile, outside]) child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  });
});
