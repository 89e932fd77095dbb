// What the seal takes from the run user's side after a turn: only a regular
// file of the run user's own with one link, never through a symlink, never a
// FIFO; and whatever was there, the CLI's directory goes and the session's is sealed.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeProjectSlug, runDirAt } from '../claude/run-dir.js';
import { ProcessLauncher } from '../process/process-launcher.js';
import { makeTempDir } from '../../test/support/temp-dir.js';
import { MAX_TRANSCRIPT_BYTES, SessionSeal } from './session-seal.js';

const isRoot = process.getuid?.() === 0;
const RUN_UID = 48_731;

// Handing files between users needs root (CI runs as root).
describe.skipIf(!isRoot)('SessionSeal.close', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let seal: SessionSeal;
  let projectDir: string;
  let configDir: string;
  let dir: ReturnType<typeof runDirAt>;
  let stored: string;
  let launcher: ProcessLauncher;
  beforeEach(() => {
    temp = makeTempDir('clawdforge-seal-');
    chmodSync(temp.path, 0o711); // the run user passes through to its config dir
    const owner = { uid: RUN_UID, gid: RUN_UID };
    const storeDir = join(temp.path, 'store');
    mkdirSync(storeDir);
    dir = runDirAt(join(temp.path, 'ses-x'), owner, true);
    mkdirSync(dir.cwd);
    configDir = join(temp.path, 'config');
    projectDir = join(configDir, 'projects', claudeProjectSlug(dir.cwd));
    mkdirSync(projectDir, { recursive: true });
    for (const path of [configDir, dirname(projectDir), projectDir]) chownSync(path, RUN_UID, RUN_UID);
    // The run user clears the CLI's directory: a real spawn helper, switching to it.
    launcher = new ProcessLauncher({ env: { PATH: process.env.PATH ?? '' }, user: owner });
    seal = new SessionSeal({ storeDir, runOwner: owner, serviceIds: { uid: 0, gid: 0 }, launcher });
    stored = join(storeDir, 'ses_x.jsonl');
  });
  afterEach(async () => {
    await launcher.close();
    temp.remove();
  });

  const plant = (make: (path: string) => void) => make(join(projectDir, 'cli.jsonl'));

  it("takes the run user's transcript into the store and seals the directory", async () => {
    plant((path) => {
      writeFileSync(path, 'HISTORY\n');
      chownSync(path, RUN_UID, RUN_UID);
    });
    expect(await seal.close(dir, configDir, 'cli.jsonl', stored, true)).toBe(true);
    expect(readFileSync(stored, 'utf8')).toBe('HISTORY\n');
    expect(existsSync(projectDir)).toBe(false);
  });

  it('refuses a transcript past the history limit (a sparse file reads as zeros), storing nothing', async () => {
    plant((path) => {
      writeFileSync(path, '');
      truncateSync(path, MAX_TRANSCRIPT_BYTES + 1);
      chownSync(path, RUN_UID, RUN_UID);
    });
    await expect(seal.close(dir, configDir, 'cli.jsonl', stored, true)).rejects.toThrow(/past the history limit/);
    expect(existsSync(stored)).toBe(false);
    expect(existsSync(projectDir)).toBe(false);
  });

  it.each([
    ['a symlink to a root file', (path: string, secret: string) => symlinkSync(secret, path)],
    ['a hard link to a root file', (path: string, secret: string) => linkSync(secret, path)],
    ['a root file', (path: string) => writeFileSync(path, 'ROOT-SECRET')],
    ['a FIFO', (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0)],
  ])('refuses %s, storing nothing, and still seals the directory', async (_, make) => {
    const secret = join(temp.path, 'secret.txt');
    writeFileSync(secret, 'ROOT-SECRET', { mode: 0o600 });
    plant((path) => make(path, secret));
    await expect(seal.close(dir, configDir, 'cli.jsonl', stored, true)).rejects.toThrow();
    expect(existsSync(stored)).toBe(false);
    expect(readFileSync(secret, 'utf8')).toBe('ROOT-SECRET');
    expect(existsSync(projectDir)).toBe(false);
    expect((statSync(dir.cwd).mode & 0o777).toString(8)).toBe('700');
    expect(statSync(dir.cwd).uid).toBe(0);
  });
});
