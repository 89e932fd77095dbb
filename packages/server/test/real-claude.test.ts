// The real @anthropic-ai/claude-code binary (pinned dev dependency), driven by
// the real service, talking to a mock of the Messages API on 127.0.0.1. This is
// what proves the flags, stdin, the system prompt file and the error mapping
// against the program itself rather than our idea of it.
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { startMockAnthropic, type MockAnthropic } from './support/mock-anthropic.js';
import { realClaudeBin } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { api, mintToken, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';
import { getEvents, postForEvents } from './support/sse.js';
import { uploadFile } from './support/upload.js';

const temp = makeTempDir('clawdforge-real-cli-');
afterAll(() => temp.remove());

function cliEnv(name: string, extra: Record<string, string> = {}): Record<string, string> {
  const home = join(temp.path, `home-${name}`);
  mkdirSync(home, { recursive: true });
  return { CLAUDE_BIN: realClaudeBin(), HOME: home, ...extra };
}

describe('the real Claude Code CLI against a mock Messages API', () => {
  let mock: MockAnthropic;
  let server: TestServer;
  let token: string;
  let home: string;
  beforeAll(async () => {
    mock = await startMockAnthropic();
    const env = cliEnv('main', { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.url });
    home = env.HOME!;
    server = await startTestServer(env);
    token = await mintToken(server.url, 'cauldron');
  });
  afterAll(async () => {
    await server.dispose();
    await mock.close();
  });

  const run = (body: unknown) => api(server.url, 'POST', '/run', { token, body });

  it('streams the text deltas as the model writes them, before the result, when asked for events', async () => {
    mock.reply = () => ({ kind: 'text', text: 'Hello, streaming world.', chunks: ['Hello,', ' streaming', ' world.'], delayMs: 400 });
    const exchange = await postForEvents(server.url, '/run', token, { prompt: 'stream please', timeout_secs: 60 });
    expect(exchange.status).toBe(200);
    const types = exchange.frames.map((frame) => frame.event);
    expect(types[0]).toBe('queued');
    expect(types).toContain('started');
    expect(types.at(-1)).toBe('result');
    const texts = exchange.frames.filter((frame) => frame.event === 'text');
    expect(texts.map((frame) => frame.data.text).join('')).toBe('Hello, streaming world.');
    // The CLI passes each upstream delta on as it comes: the first arrives while the rest are still being written.
    expect(exchange.frames.at(-1)!.at - texts[0]!.at).toBeGreaterThanOrEqual(600);
    expect(exchange.frames.find((frame) => frame.event === 'started')!.data).toMatchObject({ model: expect.stringMatching(/^claude-/), cli_version: expect.any(String) });
    expect(exchange.frames.at(-1)!.data).toMatchObject({ ok: true, result: 'Hello, streaming world.' });
  });

  it('returns a fenced JSON answer parsed', async () => {
    mock.reply = () => ({ kind: 'text', text: '```json\n{"qty": 2, "unit": "cup", "food": "rice", "approx": true}\n```' });
    const response = await run({
      prompt: "Sterilize this ingredient line: 'about 2 cups of cooked white rice'",
      model: 'sonnet',
      system: 'You are a precise recipe parser. Always reply with valid JSON.',
      timeout_secs: 60,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      ok: true,
      result: { qty: 2, unit: 'cup', food: 'rice', approx: true },
      stop_reason: 'end_turn',
      session_id: expect.any(String),
      model: expect.stringMatching(/^claude-sonnet/),
      usage: { input_tokens: mock.messageRequests().at(-1)!.usage!.input_tokens, output_tokens: 7 },
    });
  });

  it('sends the prompt, the resolved model alias and the system prompt upstream, with no tools', async () => {
    mock.reply = () => ({ kind: 'text', text: 'plain words' });
    const before = mock.messageRequests().length;
    const response = await run({ prompt: 'PROMPT-MARKER-7f3a: hello', model: 'opus', system: 'SYSTEM-MARKER-91c2 be brief' });
    expect(response.body.result).toBe('plain words');
    const [request] = mock.messageRequests().slice(before);
    expect(request!.body.model).toMatch(/^claude-opus/);
    expect(JSON.stringify(request!.body.system)).toContain('SYSTEM-MARKER-91c2 be brief');
    expect(JSON.stringify(request!.body.messages)).toContain('PROMPT-MARKER-7f3a: hello');
    expect(request!.body.tools ?? []).toEqual([]);
  });

  it('keeps app prompts from reading server files or running slash commands', async () => {
    const outside = join(temp.path, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'OUTSIDE-SECRET-CONTENT');
    mock.reply = () => ({ kind: 'text', text: 'ok' });
    const before = mock.messageRequests().length;
    const response = await run({ prompt: `/logout\nplease read @${join(outside, 'secret.txt')} and @${outside}` });
    expect(response.status).toBe(200);
    const sent = JSON.stringify(mock.messageRequests().slice(before));
    expect(sent).toContain('logout'); // reached the model as text, not run as a command
    expect(sent).not.toContain('OUTSIDE-SECRET-CONTENT');
    expect(sent).not.toMatch(/Called the Read tool|Listed directory/);
  });

  it('answers 422 run_limit_reached when the run hits its max_budget_usd', async () => {
    mock.reply = () => ({ kind: 'text', text: 'expensive words' });
    const response = await run({ prompt: 'hi', max_budget_usd: 0.0000001 });
    expectError(response, 'run_limit_reached');
    expect(response.body.error.message).toContain('max_budget_usd');
  });

  it('does not expand @mentions in append_system or in a json_schema', async () => {
    const outside = join(temp.path, 'outside-append');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'APPEND-OUTSIDE-SECRET');
    const mention = `@${join(outside, 'secret.txt')}`;
    mock.reply = (request) =>
      (request.body.tools ?? []).some((tool: { name: string }) => tool.name === 'StructuredOutput')
        ? { kind: 'tool_use', name: 'StructuredOutput', input: { note: 'x' } }
        : { kind: 'text', text: 'ok' };
    const before = mock.messageRequests().length;
    const schema = { type: 'object', description: `see ${mention}`, properties: { note: { type: 'string', description: mention } }, required: ['note'] };
    const response = await run({ prompt: 'hi', append_system: `read ${mention} please`, json_schema: schema });
    expect(response.status).toBe(200);
    const sent = JSON.stringify(mock.messageRequests().slice(before));
    expect(sent).toContain('outside-append'); // the text arrived, as text
    expect(sent).not.toContain('APPEND-OUTSIDE-SECRET');
  });

  it.each([
    [529, 'overloaded_error', 'claude_overloaded'],
    [429, 'rate_limit_error', 'claude_rate_limited'],
    [401, 'authentication_error', 'claude_not_authenticated'],
    [500, 'api_error', 'claude_error'],
  ] as const)('maps an upstream %i (%s) to %s', async (status, type, code) => {
    mock.reply = () => ({ kind: 'error', status, type });
    const response = await run({ prompt: 'hi', timeout_secs: 120 });
    expectError(response, code);
  });

  it('leaves no run directory and no per-run state in the CLI config dir', async () => {
    mock.reply = () => ({ kind: 'text', text: 'ok' });
    await Promise.all([run({ prompt: 'a' }), run({ prompt: 'b' })]);
    expect(readdirSync(join(server.dataDir, 'runs'))).toEqual([]);
    const projects = join(home, '.claude', 'projects');
    expect(existsSync(projects) ? readdirSync(projects).filter((name) => name.includes('runs')) : []).toEqual([]);
  });

  it("puts an attached file's content into the request", async () => {
    mock.reply = () => ({ kind: 'text', text: '{"seen": true}' });
    const uploaded = await uploadFile(server.url, token, 'FILE-CONTENT-MARKER-5d1e: 3 eggs, 200 g flour', { filename: 'my recipe.txt' });
    expect(uploaded.body.name).toBe('my recipe.txt');
    const before = mock.messageRequests().length;
    const response = await run({ prompt: 'Parse the attached recipe.', files: [uploaded.body.file_token] });
    expect(response.body.result).toEqual({ seen: true });
    const sent = JSON.stringify(mock.messageRequests().slice(before));
    expect(sent).toContain('FILE-CONTENT-MARKER-5d1e: 3 eggs, 200 g flour');
    expect(readdirSync(join(server.dataDir, 'runs'))).toEqual([]);
  });

  it('sends an attached PNG as an image', async () => {
    mock.reply = () => ({ kind: 'text', text: 'a red pixel' });
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
      'base64',
    );
    const uploaded = await uploadFile(server.url, token, png, { filename: 'pixel.png', contentType: 'image/png' });
    const before = mock.messageRequests().length;
    const response = await run({ prompt: 'What is in the picture?', files: [uploaded.body.file_token] });
    expect(response.body.result).toBe('a red pixel');
    const blocks = mock.messageRequests().slice(before).flatMap((request) =>
      request.body.messages.flatMap((message: any) => (Array.isArray(message.content) ? message.content : [])),
    );
    expect(blocks).toContainEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } });
  });

  describe('structured output and granted tools', () => {
    const INGREDIENT = {
      type: 'object',
      properties: { qty: { type: 'number' }, unit: { type: 'string' }, food: { type: 'string' } },
      required: ['qty', 'unit', 'food'],
    };
    const toolNames = (request: { body: any }) => ((request.body.tools ?? []) as Array<{ name: string }>).map((tool) => tool.name);
    /** Answers with the structured-output tool the CLI offers (found by its name in the request), else with text. */
    const answerStructured = (input: unknown) => (request: { body: any }) =>
      toolNames(request).includes('StructuredOutput') ? ({ kind: 'tool_use', name: 'StructuredOutput', input } as const) : ({ kind: 'text', text: 'no tool offered' } as const);

    it('returns the object the model gave the StructuredOutput tool, with the schema sent as its input_schema', async () => {
      mock.reply = answerStructured({ qty: 2, unit: 'cup', food: 'cooked white rice' });
      const before = mock.messageRequests().length;
      const response = await run({ prompt: "Parse: 'about 2 cups of cooked white rice'", json_schema: INGREDIENT });
      expect(response.status).toBe(200);
      expect(response.body.result).toEqual({ qty: 2, unit: 'cup', food: 'cooked white rice' });
      const [request] = mock.messageRequests().slice(before);
      const tool = request!.body.tools.find((candidate: { name: string }) => candidate.name === 'StructuredOutput');
      expect(tool.input_schema).toMatchObject(INGREDIENT);
      expect(toolNames(request!)).not.toContain('Read');
    });

    it('answers 422 schema_not_satisfied when the model keeps answering the wrong shape', async () => {
      mock.reply = answerStructured({ quantity: 'two' });
      const response = await run({ prompt: 'Parse: two cups', json_schema: INGREDIENT });
      expectError(response, 'schema_not_satisfied');
      expect(response.body.error.message).toContain('qty');
    });

    it('offers the model exactly the granted tools, confined to the run directory, with the run options', async () => {
      const tooled = await mintTokenWith(server.url, { name: 'tooled', tools: ['Read', 'Grep'] });
      const outside = join(temp.path, 'outside-tools');
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'secret.txt'), 'TOOL-OUTSIDE-SECRET');
      const uploaded = await uploadFile(server.url, tooled, 'INSIDE-FILE-CONTENT', { filename: 'notes.txt' });
      let turn = 0;
      mock.reply = (request) => {
        turn += 1;
        const cwd = /Primary working directory: ([^\s\\]+)/.exec(JSON.stringify(request.body))?.[1];
        if (turn === 1) return { kind: 'tool_use', name: 'Read', input: { file_path: join(outside, 'secret.txt') } };
        if (turn === 2) return { kind: 'tool_use', name: 'Read', input: { file_path: join(cwd ?? '/nonexistent', 'file-1.txt') } };
        return answerStructured({ qty: 1, unit: 'note', food: 'none' })(request);
      };
      const before = mock.messageRequests().length;
      const response = await api(server.url, 'POST', '/run', {
        token: tooled,
        body: { prompt: 'Read the files.', tools: ['Read'], files: [uploaded.body.file_token], json_schema: INGREDIENT, effort: 'low', append_system: 'APPEND-MARKER-4e1b' },
      });
      expect(response.status).toBe(200);
      expect(response.body.result).toEqual({ qty: 1, unit: 'note', food: 'none' });
      const requests = mock.messageRequests().slice(before);
      expect(toolNames(requests[0]!)).toEqual(expect.arrayContaining(['Read', 'StructuredOutput']));
      expect(toolNames(requests[0]!)).not.toEqual(expect.arrayContaining(['Grep']));
      expect(toolNames(requests[0]!).filter((name) => ['Bash', 'Write', 'Edit', 'WebFetch'].includes(name))).toEqual([]);
      expect(JSON.stringify(requests[0]!.body.system)).toContain('APPEND-MARKER-4e1b');
      expect(requests[0]!.body.output_config).toMatchObject({ effort: 'low' });
      const sent = JSON.stringify(requests);
      const toolResult = (index: number) => requests[index]!.body.messages.at(-1).content[0];
      // --restricted: a Read outside the run directory is refused, one inside it works.
      expect(sent).not.toContain('TOOL-OUTSIDE-SECRET');
      expect(toolResult(1)).toMatchObject({ type: 'tool_result', is_error: true, content: expect.stringContaining('outside') });
      expect(toolResult(2).is_error).not.toBe(true);
      expect(JSON.stringify(toolResult(2).content)).toContain('INSIDE-FILE-CONTENT');
      expect(readdirSync(join(server.dataDir, 'runs'))).toEqual([]);
    });
  });

  it('is ready on /readyz with an API key', async () => {
    expect(await api(server.url, 'GET', '/readyz')).toMatchObject({ status: 200, body: { ready: true, claude_logged_in: true } });
  });

  it('reports its version and the API-key login on /healthz', async () => {
    const response = await api(server.url, 'GET', '/healthz');
    expect(response.body).toMatchObject({
      ok: true,
      claude_present: true,
      claude_version: expect.stringMatching(/^\d+\.\d+\.\d+ \(Claude Code\)$/),
      claude_logged_in: true,
      claude_auth_method: 'api_key',
    });
  });
});

describe('the real CLI with no credentials', () => {
  it('answers 503 claude_not_authenticated and says how to log in', async () => {
    const server = await startTestServer(cliEnv('logged-out'));
    try {
      const token = await mintToken(server.url, 'app');
      const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi', timeout_secs: 60 } });
      expectError(response, 'claude_not_authenticated');
      expect(response.body.error.message).toContain('claude /login');
      expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ status: 'error', error_code: 'claude_not_authenticated' });
      const health = await api(server.url, 'GET', '/healthz');
      expect(health.body).toMatchObject({ claude_present: true, claude_logged_in: false, claude_auth_method: 'none' });
      const ready = await api(server.url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        ready: false,
        claude_logged_in: false,
        last_auth_failure: { at: expect.stringMatching(/^\d{4}-/), message: expect.stringContaining('claude /login') },
      });
    } finally {
      await server.dispose();
    }
  });
});

describe('the real CLI on a dead upstream stream, and as an async run', () => {
  let mock: MockAnthropic;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    mock = await startMockAnthropic();
    server = await startTestServer(cliEnv('stalled', { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.url, RUN_IDLE_TIMEOUT_SECS: '3' }));
    token = await mintToken(server.url, 'stalled');
  });
  afterAll(async () => {
    await server.dispose();
    await mock.close();
  });

  it('stops a CLI that hangs on a stream that never ends, as claude_stalled', async () => {
    mock.reply = () => ({ kind: 'hang' });
    const started = Date.now();
    const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hang please', timeout_secs: 60 } });
    expectError(response, 'claude_stalled');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(readdirSync(join(server.dataDir, 'runs'))).toEqual([]);
  });

  it('runs asynchronously: 202, the deltas stored as events, then the result', async () => {
    mock.reply = () => ({ kind: 'text', text: 'async and real', chunks: ['async', ' and', ' real'], delayMs: 100 });
    const accepted = await api(server.url, 'POST', '/runs', { token, body: { prompt: 'async please', timeout_secs: 60 } });
    expect(accepted.status).toBe(202);
    const events = await getEvents(server.url, `/runs/${accepted.body.run_id}/events`, token);
    const texts = events.frames.filter((frame) => frame.event === 'text').map((frame) => frame.data.text);
    expect(texts.join('')).toBe('async and real');
    expect(events.frames.at(-1)).toMatchObject({ event: 'result', data: { ok: true, result: 'async and real' } });
  });
});
