// Bash, WebFetch and WebSearch are the operator's decision (ALLOW_RISKY_TOOLS),
// not an admin API call's: no mint, patch or operator-CLI call grants one that
// is not enabled, and a token granted one earlier cannot use it once it is off.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, mintTokenWith, startTestServer } from './support/test-server.js';

const temp = makeTempDir('clawdforge-risky-');
afterAll(() => temp.remove());
const admin = (url: string, method: string, path: string, body?: unknown) => api(url, method, path, { token: ADMIN_TOKEN, ...(body ? { body } : {}) });

describe('with ALLOW_RISKY_TOOLS unset (the default)', () => {
  it.each([['Bash'], ['WebFetch'], ['WebSearch']])('refuses to mint a token granting %s, and names the setting', async (tool) => {
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
    try {
      const response = await admin(server.url, 'POST', '/admin/tokens', { name: 'shell-app', tools: ['Read', tool] });
      expectError(response, 'invalid_request');
      expect(response.body.error.message).toContain(`${tool} cannot be granted`);
      expect(response.body.error.message).toContain(`ALLOW_RISKY_TOOLS=${tool}`);
      expect((await admin(server.url, 'GET', '/admin/tokens')).body.tokens).toEqual([]);
      expect((await admin(server.url, 'GET', '/admin/audit')).body.actions).toEqual([]);
    } finally {
      await server.dispose();
    }
  });

  it('refuses to patch one in, and leaves the token as it was', async () => {
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
    try {
      await mintTokenWith(server.url, { name: 'reader', tools: ['Read'] });
      const response = await admin(server.url, 'PATCH', '/admin/tokens/reader', { tools: ['Read', 'WebFetch', 'Bash'] });
      expectError(response, 'invalid_request');
      expect(response.body.error.message).toContain('WebFetch, Bash cannot be granted');
      expect((await admin(server.url, 'GET', '/admin/tokens')).body.tokens[0].tools).toEqual(['Read']);
      // A patch that leaves tools alone still works.
      expect((await admin(server.url, 'PATCH', '/admin/tokens/reader', { runs_per_day: 10 })).status).toBe(200);
    } finally {
      await server.dispose();
    }
  });
});

describe('turning a risky tool off again', () => {
  it('keeps the grant on record but refuses runs that ask for it, before anything is spawned, and says so at start', async () => {
    const dataDir = join(temp.path, 'switched');
    const spawnLog = join(temp.path, 'spawns.log');
    const spawns = () => (existsSync(spawnLog) ? readFileSync(spawnLog, 'utf8').split('\n').filter(Boolean).length : 0);
    const env = { CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_SPAWN_LOG: spawnLog };

    const enabled = await startTestServer({ ...env, ALLOW_RISKY_TOOLS: 'Bash' }, { dataDir });
    const token = await mintTokenWith(enabled.url, { name: 'shell-app', tools: ['Read', 'Bash'] });
    const allowed = await api(enabled.url, 'POST', '/run', { token, body: { prompt: 'hi', tools: ['Bash'] } });
    expect(allowed.status).toBe(200);
    expect(allowed.body.result.args).toEqual(expect.arrayContaining(['--tools', 'Bash', '--restricted']));
    await enabled.close();

    const lines: Array<{ msg: string; tokens?: string[] }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const disabled = await startTestServer(env, { dataDir, logger });
    try {
      expect(lines).toContainEqual(expect.objectContaining({ tokens: ['shell-app'], msg: expect.stringContaining('ALLOW_RISKY_TOOLS') }));
      const before = spawns();
      const refused = await api(disabled.url, 'POST', '/run', { token, body: { prompt: 'hi', tools: ['Bash'] } });
      expectError(refused, 'tool_not_allowed');
      expect(refused.body.error.message).toContain('ALLOW_RISKY_TOOLS');
      expect(spawns()).toBe(before);
      expect(readAuditRows(dataDir).at(-1)).toMatchObject({ app: 'shell-app', status: 'rejected', error_code: 'tool_not_allowed' });
      // The harmless part of the grant still works.
      expect((await api(disabled.url, 'POST', '/run', { token, body: { prompt: 'hi', tools: ['Read'] } })).status).toBe(200);
    } finally {
      await disabled.close();
    }
  });
});

describe('the operator CLI', () => {
  const CLI_TS = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const cli = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), CLI_TS, ...args], {
      cwd: temp.path,
      env: { PATH: process.env.PATH ?? '', HOME: temp.path, DATA_DIR: join(temp.path, 'cli'), ...env },
      encoding: 'utf8',
    });

  it('refuses the same grants with exit 2 and the same message, and allows them when enabled', () => {
    const refused = cli({}, 'tokens', 'create', 'shell-app', '--policy', '{"tools":["Bash"]}');
    expect(refused.status).toBe(2);
    expect(JSON.parse(refused.stderr)).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('ALLOW_RISKY_TOOLS=Bash') } });
    expect(JSON.parse(cli({}, 'tokens', 'list').stdout).tokens).toEqual([]);

    const created = cli({ ALLOW_RISKY_TOOLS: 'Bash' }, 'tokens', 'create', 'shell-app', '--policy', '{"tools":["Bash"]}');
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout).tools).toEqual(['Bash']);
    expect(cli({}, 'tokens', 'update', 'shell-app', '--policy', '{"tools":["Bash","WebSearch"]}').status).toBe(2);
  });
});
