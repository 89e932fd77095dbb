import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareRunsDir } from './prepare-cli-dirs.js';

const temp = mkdtempSync(join(tmpdir(), 'cf-runs-dir-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const uid = process.getuid!();
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('prepareRunsDir', () => {
  it('makes RUNS_DIR private to the service when runs execute as the service', () => {
    const runs = join(temp, 'plain', 'runs');
    expect(prepareRunsDir(runs, uid, null)).toBe(runs);
    expect(modeOf(runs)).toBe('700');
  });

  it('refuses a symlink where RUNS_DIR should be, and leaves its target alone', () => {
    const target = join(temp, 'precious');
    mkdirSync(target, { mode: 0o755 });
    const planted = join(temp, 'planted-runs');
    symlinkSync(target, planted);
    expect(() => prepareRunsDir(planted, uid, null)).toThrow(/symlink/);
    expect(modeOf(target)).toBe('755');
  });

  it('refuses a RUNS_DIR owned by someone else', () => {
    expect(() => prepareRunsDir(join(temp, 'theirs'), uid + 1, null)).toThrow(/not a directory owned by the service/);
  });

  // chown to the run user's group needs root (CI has it); as anyone else there is no run user.
  it.skipIf(uid !== 0)('lets the run user pass through the parents it made, and enter but not list RUNS_DIR', () => {
    const runs = join(temp, 'made', 'for', 'runs');
    const runner = { name: 'runner', uid: 48151, gid: 48151, home: '/nonexistent' };
    // The temp dir is 0700: a parent the service did not make, and the run user cannot enter.
    expect(() => prepareRunsDir(runs, 0, runner)).toThrow(`runs execute as runner, who cannot enter ${temp}`);
    chmodSync(temp, 0o711);
    rmSync(join(temp, 'made'), { recursive: true });
    prepareRunsDir(runs, 0, runner);
    expect(modeOf(runs)).toBe('710');
    expect(statSync(runs).gid).toBe(48151);
    expect([modeOf(join(temp, 'made')), modeOf(join(temp, 'made', 'for'))]).toEqual(['711', '711']);
  });
});
