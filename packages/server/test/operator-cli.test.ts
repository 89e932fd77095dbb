// `clawdforge` (src/cli.ts) on a temp DATA_DIR: every subcommand, and tokens it
// mints working against the HTTP service.
import { DEFAULT_TOKEN_POLICY } from '@clawdforge/shared';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../src/db/migrations.js';
import { CLI_NODE_ARGS, parseOutput } from './support/operator-cli.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { startServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api } from './support/test-server.js';
import { writeFileSync } from 'node:fs';

const temp = makeTempDir('clawdforge-cli-');
afterAll(() => temp.remove());

function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [...CLI_NODE_ARGS, ...args], {
    cwd: temp.path,
    env: { PATH: process.env.PATH ?? '', HOME: temp.path, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return { status: result.status, out: parseOutput(result.stdout), err: result.stderr, errJson: parseOutput(result.stderr.trim()) };
}

describe('clawdforge migrate', () => {
  it('applies every migration once', async () => {
    const dataDir = join(temp.path, 'migrate');
    const all = Object.keys(await migrationProvider.getMigrations()).sort();
    expect(cli(dataDir, 'migrate')).toMatchObject({ status: 0, out: { ok: true, applied: all } });
    expect(cli(dataDir, 'migrate')).toMatchObject({ status: 0, out: { ok: true, applied: [] } });
  });
});

describe('clawdforge tokens', () => {
  const dataDir = join(temp.path, 'tokens');

  it('create prints the token once, like POST /admin/tokens', () => {
    const created = cli(dataDir, 'tokens', 'create', 'cauldron', '--cidr', '172.24.0.0/16', '--cidr', 'fd00::/8', '--policy', '{"models":["sonnet"],"runs_per_day":500}');
    expect(created.status).toBe(0);
    expect(created.out).toEqual({
      name: 'cauldron',
      token: expect.stringMatching(/^cf_[A-Za-z0-9_-]{43}$/),
      ip_cidrs: ['172.24.0.0/16', 'fd00::/8'],
      created_at: expect.any(String),
      ...DEFAULT_TOKEN_POLICY,
      models: ['sonnet'],
      runs_per_day: 500,
      webhook_secret: null,
    });
  });

  it('update changes the policy, rotate prints a new token and keeps the old one for the grace period', () => {
    cli(dataDir, 'tokens', 'create', 'rotating');
    const updated = cli(dataDir, 'tokens', 'update', 'rotating', '--policy', '{"tools":["Read"],"max_concurrent":2}');
    expect(updated).toMatchObject({ status: 0, out: { name: 'rotating', tools: ['Read'], max_concurrent: 2, models: null } });
    const badPolicy = cli(dataDir, 'tokens', 'update', 'rotating', '--policy', '{"tools":["Bash(rm *)"]}');
    expect(badPolicy.status).toBe(2);
    expect(badPolicy.err).toContain('tools.0');
    expect(cli(dataDir, 'tokens', 'update', 'rotating', '--policy', 'not json').status).toBe(2);
    const rotated = cli(dataDir, 'tokens', 'rotate', 'rotating', '--grace-secs', '600');
    expect(rotated.status).toBe(0);
    expect(rotated.out).toEqual({ name: 'rotating', token: expect.stringMatching(/^cf_/), previous_token_expires_at: expect.any(String) });
    expect(Date.parse(rotated.out.previous_token_expires_at) - Date.now()).toBeGreaterThan(590_000);
    expect(cli(dataDir, 'tokens', 'rotate', 'nobody').errJson.error.code).toBe('not_found');
    cli(dataDir, 'tokens', 'revoke', 'rotating');
  });

  it('create refuses what the API refuses, with the same messages', () => {
    const badName = cli(dataDir, 'tokens', 'create', 'Bad Name');
    expect(badName.status).toBe(2);
    expect(badName.err).toContain('name: must be 1-64 characters');
    const badCidr = cli(dataDir, 'tokens', 'create', 'ok-name', '--cidr', '10.0.0/33');
    expect(badCidr.status).toBe(2);
    expect(badCidr.err).toContain('ip_cidrs.0: "10.0.0/33" is not a CIDR');
    const taken = cli(dataDir, 'tokens', 'create', 'cauldron');
    expect(taken.status).toBe(1);
    expect(taken.errJson).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining('cauldron') } });
  });

  it('list shows names, never secrets', () => {
    const listed = cli(dataDir, 'tokens', 'list');
    expect(listed.status).toBe(0);
    expect(listed.out.tokens).toEqual([
      {
        name: 'cauldron', ip_cidrs: ['172.24.0.0/16', 'fd00::/8'], created_at: expect.any(String), last_used_at: null,
        ...DEFAULT_TOKEN_POLICY, models: ['sonnet'], runs_per_day: 500, previous_token_expires_at: null, stored_bytes: 0, stored_files: 0,
      },
    ]);
  });

  it('revoke removes, and a second revoke is not_found', () => {
    cli(dataDir, 'tokens', 'create', 'short-lived');
    expect(cli(dataDir, 'tokens', 'revoke', 'short-lived')).toMatchObject({ status: 0, out: { ok: true, name: 'short-lived' } });
    const again = cli(dataDir, 'tokens', 'revoke', 'short-lived');
    expect(again.status).toBe(1);
    expect(again.errJson.error.code).toBe('not_found');
  });

  it('usage errors exit 2 and print the usage', () => {
    for (const args of [['frobnicate'], ['tokens'], ['tokens', 'create'], ['tokens', 'list', 'extra'], ['tokens', 'create', 'x', '--bogus']]) {
      const result = cli(dataDir, ...args);
      expect({ args, status: result.status }).toEqual({ args, status: 2 });
      expect(result.err).toContain('usage: clawdforge');
    }
  });

  it('reports bad configuration like the service does', () => {
    writeFileSync(join(temp.path, '.env'), 'PORT=nope\n');
    try {
      const result = cli(dataDir, 'tokens', 'list');
      expect(result.status).toBe(2);
      expect(result.err).toContain('PORT: "nope"');
    } finally {
      writeFileSync(join(temp.path, '.env'), '');
    }
  });
});

describe('tokens minted by the CLI', () => {
  it('work against the HTTP service, minted before it starts and while it runs', async () => {
    const dataDir = join(temp.path, 'live');
    const before = cli(dataDir, 'tokens', 'create', 'early').out.token as string;
    const server = await startServerProcess({ DATA_DIR: dataDir, ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE }, temp.path);
    try {
      const during = cli(dataDir, 'tokens', 'create', 'late').out.token as string;
      for (const token of [before, during]) {
        expect((await api(server.url, 'POST', '/run', { token, body: { prompt: '[[text:hi]]' } })).body.result).toBe('hi');
      }
      expect(cli(dataDir, 'tokens', 'revoke', 'late').status).toBe(0);
      expect((await api(server.url, 'POST', '/run', { token: during, body: { prompt: 'x' } })).status).toBe(401);
      const listed = await api(server.url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN });
      expect(listed.body.tokens.map((t: { name: string }) => t.name)).toEqual(['early']);
    } finally {
      await server.stop();
    }
  });
});
