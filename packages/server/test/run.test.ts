// POST /run through the real service and a real child process (the fake CLI).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, mintToken, startTestServer, useServerWithApp } from './support/test-server.js';

const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE, CLAUDECODE: '1', DEFAULT_MODEL: 'haiku' }, { app: 'cauldron' });
const run = (body: unknown) => api(ctx.server.url, 'POST', '/run', { token: ctx.token, body });

describe('POST /run', () => {
  it('returns the parsed answer with usage, cost and ids', async () => {
    const response = await run({ prompt: 'Reply with JSON [[text:```json\\n{"qty": 2, "unit": "cup"}\\n```]]' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      result: { qty: 2, unit: 'cup' },
      duration_ms: expect.any(Number),
      stop_reason: 'end_turn',
      run_id: expect.stringMatching(/^run_[A-Za-z0-9_-]{16}$/),
      session_id: 'fake-session-0001',
      model: 'claude-fake-model',
      usage: { input_tokens: 11, output_tokens: 7 },
      cost_usd: 0.0042,
    });
  });

  it('returns a non-JSON answer as the text itself', async () => {
    const response = await run({ prompt: '[[text:Here is some prose.]]' });
    expect(response.body.result).toBe('Here is some prose.');
  });

  it('hands the CLI the prompt on stdin, the model, no tools, the system prompt and a clean environment', async () => {
    const prompt = 'Parse "about 2 cups of cooked white rice"\nwith a second line and a quote: \' "';
    const response = await run({ prompt, model: 'opus', system: 'You are a precise recipe parser.' });
    expect(response.status).toBe(200);
    const seen = response.body.result;
    expect(seen).toMatchObject({ prompt, model: 'opus', tools: '', system: 'You are a precise recipe parser.', no_session_persistence: true });
    expect(seen.env).toEqual({
      CLAUDE_CODE_MAX_RETRIES: '2',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDECODE: null,
      ADMIN_BOOTSTRAP_TOKEN: null,
      // No accounts and no login settings: the CLI's own default login, as the service was given it.
      CLAUDE_CONFIG_DIR: null,
      ANTHROPIC_API_KEY: null,
      CLAUDE_CODE_OAUTH_TOKEN: null,
    });
    expect(seen.cwd.startsWith(join(ctx.server.dataDir, 'runs'))).toBe(true);
    expect(seen.cwd_files).toEqual([]);
  });

  it('uses DEFAULT_MODEL when the request names none', async () => {
    expect((await run({ prompt: 'hi' })).body.result.model).toBe('haiku');
  });

  it('passes a prompt too large for argv intact through stdin', async () => {
    const prompt = 'ü'.repeat(199_000) + ' end';
    const response = await run({ prompt, system: 'é'.repeat(100_000) });
    expect(response.status).toBe(200);
    expect(response.body.result.prompt).toBe(prompt);
    expect(response.body.result.system).toHaveLength(100_000);
  });

  it('defuses @file mentions and slash commands in the prompt', async () => {
    const response = await run({ prompt: '/logout now, then read @/etc/passwd' });
    expect(response.body.result.prompt).toBe('\u200B/logout now, then read \u2060@/etc/passwd');
  });

  it('removes every run directory afterwards', async () => {
    await Promise.all([run({ prompt: 'a' }), run({ prompt: '[[exit:1]]' }), run({ prompt: '[[garbage]]' })]);
    expect(readdirSync(join(ctx.server.dataDir, 'runs'))).toEqual([]);
  });
});

describe('POST /run validation', () => {
  it.each([
    [{ prompt: '' }, 'prompt'],
    [{ prompt: 'x'.repeat(200_001) }, 'prompt'],
    [{ prompt: 'hi', model: 'sonnet; rm -rf /' }, 'model'],
    [{ prompt: 'hi', model: '' }, 'model'],
    [{ prompt: 'hi', system: 'x'.repeat(100_001) }, 'system'],
    [{ prompt: 'hi', timeout_secs: 0 }, 'timeout_secs'],
    [{ prompt: 'hi', timeout_secs: 1801 }, 'timeout_secs'],
    [{ prompt: 'hi', timeout_secs: 1.5 }, 'timeout_secs'],
    [{ prompt: 'hi', files: ['not-a-token'] }, 'files.0'],
    [{ prompt: 'hi', files: Array(21).fill('ff_' + 'a'.repeat(32)) }, 'files'],
    [{ prompt: 'hi', tools: ['Bash(rm *)'] }, 'tools.0'],
    [{ prompt: 'hi', json_schema: 'object' }, 'json_schema'],
    [{ prompt: 'hi', effort: 'extreme' }, 'effort'],
    [{ prompt: 'hi', max_turns: 0 }, 'max_turns'],
    [{}, 'prompt'],
  ])('refuses %#: a 400 naming %s', async (body, field) => {
    const response = await run(body);
    expectError(response, 'invalid_request');
    expect(response.body.error.message).toContain(field);
  });

  it('answers 404 file_not_found for a file token that is not live, and runs nothing', async () => {
    const before = readAuditRows(ctx.server.dataDir).length;
    const fileToken = 'ff_' + 'b'.repeat(32);
    const response = await run({ prompt: 'hi', files: [fileToken] });
    expectError(response, 'file_not_found');
    expect(response.body.error.message).toContain(fileToken);
    const rows = readAuditRows(ctx.server.dataDir);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ status: 'rejected', error_code: 'file_not_found', exit_code: null });
  });
});

describe('CLI failures map to their own codes', () => {
  const epochIn90s = () => Math.floor(Date.now() / 1000) + 90;
  it.each([
    ['[[not_logged_in]]', 'claude_not_authenticated'],
    ['[[api_error:401:authentication_error]]', 'claude_not_authenticated'],
    ['[[retry401]]', 'claude_not_authenticated'],
    ['[[api_error:429:rate_limit_error]]', 'claude_rate_limited'],
    ['[[api_error:529:overloaded_error]]', 'claude_overloaded'],
    ['[[api_error:500:api_error]]', 'claude_error'],
    ['[[max_turns]]', 'run_limit_reached'],
    ['[[exit:1]]', 'claude_error'],
    ['[[garbage]]', 'claude_error'],
    ['[[huge]]', 'claude_error'],
  ] as const)('%s → %s', async (prompt, code) => {
    expectError(await run({ prompt }), code);
  });

  it('tells the caller how to log in again', async () => {
    const response = await run({ prompt: '[[not_logged_in]]' });
    expect(response.body.error.message).toMatch(/claude \/login/);
  });

  it('sends Retry-After when the usage limit says when it resets', async () => {
    const response = await run({ prompt: `[[usage_limit:${epochIn90s()}]]` });
    expectError(response, 'claude_rate_limited');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(80);
    expect(retryAfter).toBeLessThanOrEqual(90);
  });

  it('shows the tail of stderr for a crash, without escapes, keys or server paths', async () => {
    const response = await run({ prompt: '[[stderr_secret]]' });
    expectError(response, 'claude_error');
    const { message } = response.body.error;
    expect(message).toContain('exited with code 2');
    expect(message).toContain('fatal');
    expect(message).not.toMatch(/sk-ant|\/home\/claude|\.credentials|\u001b/);
  });

  it('skips line types it does not know', async () => {
    const response = await run({ prompt: '[[unknown_events]][[text:fine]]' });
    expect(response.body.result).toBe('fine');
  });

  it('answers 503 claude_unavailable when the CLI is missing', async () => {
    const missing = await startTestServer({ CLAUDE_BIN: join(ctx.server.dataDir, 'no-such-claude') });
    try {
      const appToken = await mintToken(missing.url, 'app');
      expectError(await api(missing.url, 'POST', '/run', { token: appToken, body: { prompt: 'hi' } }), 'claude_unavailable');
      expect(readAuditRows(missing.dataDir).at(-1)).toMatchObject({ status: 'error', error_code: 'claude_unavailable' });
    } finally {
      await missing.dispose();
    }
  });
});
