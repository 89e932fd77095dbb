// Accounts with the fake CLI: what a run on an account gets in its
// environment, the per-account caps, accounts that cannot run, the operator
// CLI (and a running service seeing its changes), and CLAUDE_ACCOUNTS_FILE's
// checks at start.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { runOperatorCli } from './support/operator-cli.js';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

const temp = makeTempDir('clawdforge-account-routing-');
afterAll(() => temp.remove());

let serial = 0;
/** A directory of its own for each service: the accounts file, the logins' directories and a key file. */
function workspace(): { dir: string; loginA: string; loginB: string; keyFile: string; accountsFile: (accounts: object[]) => string } {
  const dir = join(temp.path, `ws-${++serial}`);
  const loginA = join(dir, 'login-a');
  const loginB = join(dir, 'login-b');
  mkdirSync(loginA, { recursive: true });
  mkdirSync(loginB, { recursive: true });
  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, 'sk-ant-api03-FROM-FILE\n', { mode: 0o600 });
  return {
    dir,
    loginA,
    loginB,
    keyFile,
    accountsFile: (accounts) => {
      const path = join(dir, 'accounts.json');
      writeFileSync(path, JSON.stringify(accounts));
      return path;
    },
  };
}

const serviceEnv = (accountsFile: string, extra: Record<string, string> = {}) => ({
  CLAUDE_BIN: FAKE_CLAUDE,
  CLAUDE_ACCOUNTS_FILE: accountsFile,
  ANTHROPIC_API_KEY: 'sk-ant-api03-AMBIENT',
  CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-AMBIENT',
  ...extra,
});

/** The fake CLI's report of what it received, from a run's fenced JSON answer. */
const reportOf = (body: { result: unknown }) => body.result as { env: Record<string, string | null> };

describe('a run on an account', () => {
  it("gets its account's login or secret and none of the service's own credentials", async () => {
    const ws = workspace();
    const file = ws.accountsFile([
      { name: 'login', type: 'config_dir', config_dir: ws.loginA, priority: 10 },
      { name: 'key', type: 'api_key', secret_file: ws.keyFile, priority: 5 },
    ]);
    const server = await startTestServer(serviceEnv(file));
    try {
      const token = await mintToken(server.url, 'pantry');
      const first = await api(server.url, 'POST', '/run', { token, body: { prompt: 'who am I' } });
      expect(first.status).toBe(200);
      expect(reportOf(first.body).env).toMatchObject({ CLAUDE_CONFIG_DIR: ws.loginA, ANTHROPIC_API_KEY: null, CLAUDE_CODE_OAUTH_TOKEN: null });

      await api(server.url, 'POST', '/admin/accounts/login/disable', { token: ADMIN_TOKEN });
      const second = await api(server.url, 'POST', '/run', { token, body: { prompt: 'who am I now' } });
      // The file's key, not the service's ambient one; the default login's directory (the service's CLAUDE_CONFIG_DIR, unset here).
      expect(reportOf(second.body).env).toMatchObject({ ANTHROPIC_API_KEY: 'sk-ant-api03-FROM-FILE', CLAUDE_CODE_OAUTH_TOKEN: null, CLAUDE_CONFIG_DIR: null });
      expect(readAuditRows(server.dataDir).map((row) => row.account)).toEqual(['login', 'key']);
      const onKey = await api(server.url, 'GET', '/admin/runs?account=key', { token: ADMIN_TOKEN });
      expect(onKey.body.runs.map((run: { account: string; run_id: string }) => [run.account, run.run_id])).toEqual([['key', second.body.run_id]]);
    } finally {
      await server.dispose();
    }
  });
});

describe('per-account caps', () => {
  it('runs one at a time on an interactive login by default, and the next waits for a free account', async () => {
    const ws = workspace();
    const file = ws.accountsFile([
      { name: 'a', type: 'config_dir', config_dir: ws.loginA, priority: 10 },
      { name: 'b', type: 'config_dir', config_dir: ws.loginB, priority: 5 },
    ]);
    const server = await startTestServer(serviceEnv(file, { MAX_CONCURRENT_RUNS: '4' }));
    try {
      const token = await mintToken(server.url, 'pantry');
      const runs = [1, 2, 3].map((n) => api(server.url, 'POST', '/run', { token, body: { prompt: `[[sleep:1500]] run ${n}` } }));
      const running = async () => {
        const { body } = await api(server.url, 'GET', '/admin/accounts', { token: ADMIN_TOKEN });
        return (body.accounts as Array<{ name: string; running: number }>).map((account) => `${account.name}=${account.running}`).join(',');
      };
      await waitFor(async () => (await running()) === 'a=1,b=1');
      // Four slots, but two logins at one run each: the third waits for an account, not for the queue.
      expect(server.services.runQueue.runningCount).toBe(3);
      const answers = await Promise.all(runs);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const rows = readAuditRows(server.dataDir);
      expect(new Set(rows.map((row) => row.account))).toEqual(new Set(['a', 'b']));
      expect(Math.max(...rows.map((row) => row.queue_wait_ms))).toBeGreaterThanOrEqual(1000);
      expect(await running()).toBe('a=0,b=0');
    } finally {
      await server.dispose();
    }
  });
});

describe('accounts that cannot run', () => {
  it('answers 503 claude_not_authenticated once every account is logged out, and /readyz says so', async () => {
    const ws = workspace();
    const file = ws.accountsFile([
      { name: 'a', type: 'config_dir', config_dir: ws.loginA },
      { name: 'b', type: 'config_dir', config_dir: ws.loginB },
    ]);
    const server = await startTestServer(serviceEnv(file));
    try {
      const token = await mintToken(server.url, 'pantry');
      // Logged out on a, then on b (the retry): both leave the rotation.
      const response = await api(server.url, 'POST', '/run', { token, body: { prompt: '[[not_logged_in]]' } });
      expectError(response, 'claude_not_authenticated');
      expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ account: 'b', failover_from: 'a' });
      const ready = await api(server.url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.accounts).toEqual([
        { name: 'a', state: 'logged_out', until: null },
        { name: 'b', state: 'logged_out', until: null },
      ]);
      // Refused at once now: nothing is spawned.
      const refused = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hello' } });
      expectError(refused, 'claude_not_authenticated');
      expect(refused.body.error.message).toMatch(/logged out, disabled or misconfigured/);
      expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ status: 'rejected', account: null });
    } finally {
      await server.dispose();
    }
  });

  it('skips an account whose secret file is gone, and shows it misconfigured', async () => {
    const ws = workspace();
    const file = ws.accountsFile([
      { name: 'key', type: 'api_key', secret_file: ws.keyFile, priority: 10 },
      { name: 'login', type: 'config_dir', config_dir: ws.loginA },
    ]);
    const server = await startTestServer(serviceEnv(file));
    try {
      rmSync(ws.keyFile);
      const token = await mintToken(server.url, 'pantry');
      const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hello' } });
      expect(reportOf(response.body).env.CLAUDE_CONFIG_DIR).toBe(ws.loginA);
      const { body } = await api(server.url, 'GET', '/admin/accounts', { token: ADMIN_TOKEN });
      expect(body.accounts[0]).toMatchObject({ name: 'key', state: 'misconfigured', reason: expect.stringContaining('cannot be read (ENOENT)') });
      expect(JSON.stringify(body)).not.toContain('FROM-FILE');
    } finally {
      await server.dispose();
    }
  });
});

/** The operator CLI on `dataDir`, with only PATH, HOME and `env`. */
const cli = (dataDir: string, env: Record<string, string>, ...args: string[]) =>
  runOperatorCli(temp.path, { PATH: process.env.PATH ?? '', HOME: temp.path, DATA_DIR: dataDir, ...env }, args);

describe('clawdforge accounts', () => {
  it('adds, lists, disables, enables and removes accounts, and a running service follows', async () => {
    const ws = workspace();
    const file = ws.accountsFile([{ name: 'declared', type: 'config_dir', config_dir: ws.loginA, priority: 1 }]);
    const server: TestServer = await startTestServer(serviceEnv(file));
    const env = { CLAUDE_ACCOUNTS_FILE: file, TEAM_TOKEN: 'sk-ant-oat01-TEAM' };
    try {
      const token = await mintToken(server.url, 'pantry');
      const added = await cli(server.dataDir, env, 'accounts', 'add', 'team', '--type', 'oauth_token', '--secret-env', 'TEAM_TOKEN', '--priority', '5', '--max-concurrent', '2');
      expect(added.err).toBe('');
      expect(added.status).toBe(0);
      expect(added.out).toMatchObject({ name: 'team', type: 'oauth_token', source: 'cli', priority: 5, max_concurrent: 2, state: 'ready' });
      expect(JSON.stringify(added.out)).not.toContain('sk-ant-oat01-TEAM');

      // The service has no TEAM_TOKEN in its environment: it sees the new account, misconfigured, and keeps using the declared one.
      const { body } = await api(server.url, 'GET', '/admin/accounts', { token: ADMIN_TOKEN });
      expect(body.accounts.map((account: { name: string; state: string }) => `${account.name}:${account.state}`)).toEqual(['team:misconfigured', 'declared:ready']);

      expect((await cli(server.dataDir, env, 'accounts', 'disable', 'declared')).out).toMatchObject({ name: 'declared', state: 'disabled' });
      const refused = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hello' } });
      expectError(refused, 'claude_not_authenticated');
      expect((await cli(server.dataDir, env, 'accounts', 'enable', 'declared')).out).toMatchObject({ state: 'ready' });
      expect((await api(server.url, 'POST', '/run', { token, body: { prompt: 'hello' } })).status).toBe(200);

      const listed = await cli(server.dataDir, env, 'accounts', 'list');
      expect(listed.out.accounts.map((account: { name: string }) => account.name)).toEqual(['team', 'declared']);
      const duplicate = await cli(server.dataDir, env, 'accounts', 'add', 'team', '--type', 'api_key', '--secret-env', 'TEAM_TOKEN');
      expect(duplicate.status).toBe(1);
      expect(duplicate.errJson.error.code).toBe('conflict');
      expect((await cli(server.dataDir, env, 'accounts', 'remove', 'declared')).errJson.error.code).toBe('conflict');
      expect((await cli(server.dataDir, env, 'accounts', 'remove', 'team')).out).toEqual({ ok: true, removed: 'team' });
      const actions = await api(server.url, 'GET', '/admin/audit', { token: ADMIN_TOKEN });
      expect(actions.body.actions.slice(0, 4).map((action: { action: string; actor: string }) => `${action.action}:${action.actor}`)).toEqual([
        'account.remove:cli',
        'account.enable:cli',
        'account.disable:cli',
        'account.add:cli',
      ]);
    } finally {
      await server.dispose();
    }
  });

  it('refuses a definition that cannot work, with exit 2', async () => {
    const dataDir = join(temp.path, 'cli-invalid');
    const noSecret = await cli(dataDir, {}, 'accounts', 'add', 'x', '--type', 'oauth_token');
    expect(noSecret.status).toBe(2);
    expect(noSecret.err).toMatch(/needs exactly one of secret_env or secret_file/);
    const ownSetting = await cli(dataDir, {}, 'accounts', 'add', 'x', '--type', 'api_key', '--secret-env', 'ADMIN_BOOTSTRAP_TOKEN');
    expect(ownSetting.status).toBe(2);
    expect(ownSetting.errJson.error.message).toMatch(/one of the service's own settings/);
    const relative = await cli(dataDir, {}, 'accounts', 'add', 'x', '--type', 'config_dir', '--config-dir', 'relative/dir');
    expect(relative.status).toBe(2);
    const missingFile = await cli(dataDir, {}, 'accounts', 'add', 'x', '--type', 'api_key', '--secret-file', '/nonexistent/key');
    expect(missingFile.errJson.error.message).toMatch(/secret_file: \/nonexistent\/key does not exist/);
  });
});

describe('CLAUDE_ACCOUNTS_FILE', () => {
  const configWith = (accounts: unknown, env: Record<string, string> = {}) => {
    const path = join(temp.path, `accounts-${++serial}.json`);
    writeFileSync(path, typeof accounts === 'string' ? accounts : JSON.stringify(accounts));
    return () => parseConfig({ CLAUDE_ACCOUNTS_FILE: path, ...env }, temp.path);
  };

  it('stops the service at start when an account cannot work, naming it', () => {
    expect(configWith('not json')).toThrow(/CLAUDE_ACCOUNTS_FILE: .* is not JSON/);
    expect(configWith({ name: 'a' })).toThrow(/must hold a JSON array/);
    expect(configWith([{ name: 'a', type: 'oauth_token', secret_env: 'MISSING' }])).toThrow(/\[0\]: MISSING \(its secret_env\) is not set/);
    expect(configWith([{ name: 'a', type: 'config_dir' }])).toThrow(/config_dir: is required/);
    expect(configWith([{ name: 'a', type: 'api_key', secret_env: 'PATH' }], { PATH: '/bin' })).toThrow(/every run needs/);
    expect(configWith([{ name: 'a', type: 'api_key', secret_env: 'ANTHROPIC_API_KEY_B' }], { ANTHROPIC_API_KEY_B: 'k' })).toThrow(/would reach every run's environment/);
    expect(configWith([{ name: 'a', type: 'api_key', secret_file: '/nonexistent/key' }])).toThrow(/does not exist/);
    const twice = { name: 'a', type: 'config_dir', config_dir: '/tmp' };
    expect(configWith([twice, twice])).toThrow(/the name "a" is used twice/);
    expect(configWith([twice, { ...twice, name: 'b' }])).toThrow(/"b" and "a" are the same login/);
    expect(configWith([{ ...twice, secret: 'inline' }])).toThrow(ConfigError);
  });

  it('reads the accounts, secrets by reference only', () => {
    const config = configWith([{ name: 'team', type: 'oauth_token', secret_env: 'TEAM_TOKEN', priority: 3 }], { TEAM_TOKEN: 'sk-ant-oat01-X' })();
    expect(config.declaredAccounts).toEqual([{ name: 'team', type: 'oauth_token', secret_env: 'TEAM_TOKEN', priority: 3 }]);
    expect(config.accountSecretEnv.TEAM_TOKEN).toBe('sk-ant-oat01-X');
    expect(config.accountSecretEnv.CLAUDE_ACCOUNTS_FILE).toBeUndefined();
  });
});
