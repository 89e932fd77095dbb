// Secrets at rest: DATA_DIR, the database and the uploads are made private to
// the service at every start, even when they already existed with wider modes
// (the README's deploy steps create DATA_DIR with `mkdir -p`: 0755), and each
// change is logged. A `.env` that others can read is reported.
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE } from './support/processes.js';
import { startServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, mintToken } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

const temp = makeTempDir('clawdforge-modes-');
afterAll(() => temp.remove());

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
const logLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; path?: string; was?: string; now?: string; count?: number; mode?: string });

describe('modes at start', () => {
  const serviceDir = join(temp.path, 'service');
  const dataDir = join(serviceDir, 'data');
  const database = join(dataDir, 'clawdforge.sqlite');

  it('makes a pre-created DATA_DIR, the database and the uploads private, and says which', async () => {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(serviceDir, '.env'), `ADMIN_BOOTSTRAP_TOKEN=${ADMIN_TOKEN}\n`, { mode: 0o644 });
    chmodSync(join(serviceDir, '.env'), 0o644);

    const first = await startServerProcess({ CLAUDE_BIN: FAKE_CLAUDE }, serviceDir);
    const token = await mintToken(first.url, 'app');
    await uploadFile(first.url, token, 'a private upload');
    await first.stop();
    let lines = logLines(first.output());
    expect(lines).toContainEqual(expect.objectContaining({ path: dataDir, was: '0755', now: '0700' }));
    expect(lines).toContainEqual(expect.objectContaining({ path: join(serviceDir, '.env'), mode: '0644', msg: expect.stringContaining('chmod 600') }));
    expect(modeOf(dataDir)).toBe('0700');
    expect(modeOf(database)).toBe('0600');
    const uploads = readdirSync(join(dataDir, 'files'));
    expect(uploads).toHaveLength(1);
    expect(modeOf(join(dataDir, 'files', uploads[0]!))).toBe('0600');

    // Someone widens everything while the service is down.
    const widened = [dataDir, join(dataDir, 'files')];
    for (const path of widened) chmodSync(path, 0o755);
    const files = [database, `${database}-wal`, `${database}-shm`, join(dataDir, 'files', uploads[0]!)].filter((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
    for (const path of files) chmodSync(path, 0o644);
    chmodSync(join(serviceDir, '.env'), 0o600);

    const second = await startServerProcess({ CLAUDE_BIN: FAKE_CLAUDE }, serviceDir);
    await second.stop();
    lines = logLines(second.output());
    for (const path of [...widened, database]) expect(lines).toContainEqual(expect.objectContaining({ path, now: path === database ? '0600' : '0700' }));
    expect(lines).toContainEqual(expect.objectContaining({ count: 1, msg: expect.stringContaining('uploads were readable by others') }));
    expect(lines.some((line) => line.path === join(serviceDir, '.env'))).toBe(false); // 0600 now: nothing to say
    for (const path of widened) expect(modeOf(path)).toBe('0700');
    for (const path of files) expect(modeOf(path)).toBe('0600');
  }, 60_000);
});
