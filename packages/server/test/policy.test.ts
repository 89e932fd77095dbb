// Per-app token policy: every refusal answers its code before anything is
// spawned (the fake CLI logs each start), and what is allowed reaches the CLI.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { uploadFile } from './support/upload.js';
import { ADMIN_TOKEN, api, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';

const temp = makeTempDir('clawdforge-policy-');
const spawnLog = join(temp.path, 'spawns.log');
const spawns = () => (existsSync(spawnLog) ? readFileSync(spawnLog, 'utf8').split('\n').filter(Boolean) : []);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_SPAWN_LOG: spawnLog, DEFAULT_MODEL: 'sonnet' });
});
afterAll(async () => {
  await server.dispose();
  temp.remove();
});

/** The fake CLI's report of what it received (its default answer). */
type Report = { model: string; tools: string; args: string[]; append_system: string | null };

describe('policy refusals', () => {
  let limited: string;
  let plain: string;
  beforeAll(async () => {
    limited = await mintTokenWith(server.url, { name: 'limited', models: ['haiku'], tools: ['Read'], max_timeout_secs: 30 });
    plain = await mintTokenWith(server.url, { name: 'plain' });
  });

  it.each([
    ['limited', { model: 'opus' }, 'model_not_allowed', /model "opus" is not allowed.*allowed: haiku/],
    ['limited', { fallback_model: 'opus' }, 'model_not_allowed', /fallback_model "opus"/],
    ['limited', { tools: ['Grep'] }, 'tool_not_allowed', /Grep; allowed: Read/],
    ['limited', { tools: ['Bash'] }, 'tool_not_allowed', /Bash is switched off on this server.*ALLOW_RISKY_TOOLS/],
    ['limited', { tools: ['Read', 'Write'] }, 'tool_not_allowed', /: Write;/],
    ['plain', { tools: ['Read'] }, 'tool_not_allowed', /allowed: none/],
    ['limited', { timeout_secs: 31 }, 'timeout_not_allowed', /limit of 30/],
    ['plain', { json_schema: { type: 'array', items: { type: 'string' } } }, 'invalid_request', /root must have "type": "object"/],
    ['plain', { json_schema: { type: 'object', properties: { qty: { type: 'nonsense' } } } }, 'invalid_request', /json_schema: /],
    ['plain', { json_schema: { type: 'object', $ref: 'https://example.com/schema.json' } }, 'invalid_request', /json_schema: /],
    ['plain', { json_schema: { type: 'object', description: 'x'.repeat(70_000) } }, 'invalid_request', /larger than 65536 bytes/],
  ] as const)('%s with %j: %s, nothing spawned, audited as rejected', async (app, fields, code, message) => {
    const before = spawns().length;
    const auditBefore = readAuditRows(server.dataDir).length;
    const response = await api(server.url, 'POST', '/run', { token: app === 'limited' ? limited : plain, body: { prompt: 'hi', ...fields } });
    expectError(response, code);
    expect(response.body.error.message).toMatch(message);
    expect(spawns().length).toBe(before);
    const rows = readAuditRows(server.dataDir);
    expect(rows.length).toBe(auditBefore + 1);
    expect(rows.at(-1)).toMatchObject({ app, status: 'rejected', error_code: code });
  });

  it('lets the allowed through: the app default model, the granted tools and the run options reach the CLI', async () => {
    const token = await mintTokenWith(server.url, { name: 'tooled', models: ['haiku', 'opus'], tools: ['Read', 'Grep', 'Glob'] });
    const response = await api(server.url, 'POST', '/run', {
      token,
      body: { prompt: 'hi', tools: ['Read', 'Grep'], max_turns: 3, max_budget_usd: 0.5, effort: 'low', fallback_model: 'opus', append_system: 'Be brief.' },
    });
    expect(response.status).toBe(200);
    const report = response.body.result as Report;
    expect(report.model).toBe('haiku'); // DEFAULT_MODEL sonnet is not allowed: the list's first
    expect(report.append_system).toBe('Be brief.');
    const flag = (name: string) => report.args[report.args.indexOf(name) + 1];
    expect({ tools: flag('--tools'), allowed: flag('--allowedTools'), mode: flag('--permission-mode') }).toEqual({ tools: 'Read,Grep', allowed: 'Read,Grep', mode: 'dontAsk' });
    expect(report.args).toEqual(expect.arrayContaining(['--restricted', '--strict-mcp-config']));
    expect({ turns: flag('--max-turns'), budget: flag('--max-budget-usd'), effort: flag('--effort'), fallback: flag('--fallback-model') }).toEqual({
      turns: '3', budget: '0.5', effort: 'low', fallback: 'opus',
    });
  });

  it('gives a run with no tools none and no permission flags, confined all the same', async () => {
    const response = await api(server.url, 'POST', '/run', { token: plain, body: { prompt: 'hi' } });
    const report = response.body.result as Report;
    expect(report.args[report.args.indexOf('--tools') + 1]).toBe('');
    expect(report.args).not.toContain('--allowedTools');
    expect(report.args).toEqual(expect.arrayContaining(['--restricted', '--strict-mcp-config']));
    expect(report.args).not.toContain('--settings');
    expect(report.model).toBe('sonnet');
  });

  it('uses max_timeout_secs as the default timeout when it is below 120', async () => {
    const token = await mintTokenWith(server.url, { name: 'hasty', max_timeout_secs: 1 });
    const started = Date.now();
    const response = await api(server.url, 'POST', '/run', { token, body: { prompt: '[[sleep:5000]]' } });
    expectError(response, 'claude_timeout');
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('attachments of a run whose tools can write', () => {
  it('are copies: the model cannot change the stored upload', async () => {
    const token = await mintTokenWith(server.url, { name: 'writer', tools: ['Read', 'Write'] });
    const uploaded = await uploadFile(server.url, token, 'ORIGINAL-CONTENT', { filename: 'notes.txt' });
    const response = await api(server.url, 'POST', '/run', {
      token,
      body: { prompt: '[[write_file:notes.txt:CHANGED-BY-THE-MODEL]]', tools: ['Write'], files: [uploaded.body.file_token] },
    });
    expect(response.status).toBe(200);
    const storeDir = join(server.dataDir, 'files');
    const stored = readdirSync(storeDir).map((name) => readFileSync(join(storeDir, name), 'utf8'));
    expect(stored).toContain('ORIGINAL-CONTENT');
    expect(stored.join()).not.toContain('CHANGED-BY-THE-MODEL');
  });
});

describe('PATCH /admin/tokens/{name}', () => {
  const patch = (name: string, body: unknown) => api(server.url, 'PATCH', `/admin/tokens/${name}`, { token: ADMIN_TOKEN, body });

  it('changes only the fields given, null lifts a limit, and the next run obeys it', async () => {
    const token = await mintTokenWith(server.url, { name: 'patched', models: ['haiku'], runs_per_day: 100 });
    const changed = await patch('patched', { models: ['opus'], max_concurrent: 2 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'patched', models: ['opus'], max_concurrent: 2, runs_per_day: 100, tools: [] });
    expectError(await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi', model: 'haiku' } }), 'model_not_allowed');
    const lifted = await patch('patched', { models: null, runs_per_day: null });
    expect(lifted.body).toMatchObject({ models: null, runs_per_day: null, max_concurrent: 2 });
    expect((await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi', model: 'haiku' } })).status).toBe(200);
    const listed = (await api(server.url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN })).body.tokens.find((t: { name: string }) => t.name === 'patched');
    expect(listed).toEqual({ ...lifted.body, stored_bytes: 0, stored_files: 0 });
  });

  it('refuses unknown names, bad fields and unknown fields', async () => {
    expectError(await patch('nobody', { runs_per_day: 5 }), 'not_found');
    expectError(await patch('patched', { tools: ['Bash(rm -rf *)'] }), 'invalid_request');
    expectError(await patch('patched', { runs_per_day: 0 }), 'invalid_request');
    expectError(await patch('patched', { token_hash: 'x' }), 'invalid_request');
    expectError(await patch('patched', { expires_at: 'tomorrow' }), 'invalid_request');
  });
});

describe('admin action log for policy changes', () => {
  it('records token.update with the policy before and after', async () => {
    await mintTokenWith(server.url, { name: 'logged-policy', tools: ['Read'] });
    await api(server.url, 'PATCH', '/admin/tokens/logged-policy', { token: ADMIN_TOKEN, body: { tools: ['Read', 'Grep'], cost_usd_per_day: 2.5 } });
    const { body } = await api(server.url, 'GET', '/admin/audit?limit=1', { token: ADMIN_TOKEN });
    expect(body.actions[0]).toMatchObject({
      action: 'token.update', target: 'logged-policy', actor: '127.0.0.1',
      before: { tools: ['Read'], cost_usd_per_day: null },
      after: { tools: ['Read', 'Grep'], cost_usd_per_day: 2.5 },
    });
  });
});
