// Sessions with the real Claude Code CLI against the mock Messages API: what
// reaches the model on each turn is what proves the history is the CLI's own,
// kept once, forked apart, read back after a restart, and removed on expiry.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { startMockAnthropic, type MockAnthropic, type RecordedRequest } from './support/mock-anthropic.js';
import { realClaudeBin, waitFor } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { TestClock } from './support/test-clock.js';
import { api, mintToken, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

const temp = makeTempDir('clawdforge-real-sessions-');
let mock: MockAnthropic;
beforeAll(async () => {
  mock = await startMockAnthropic();
});
afterAll(async () => {
  await mock.close();
  temp.remove();
});

function cliEnv(name: string): Record<string, string> {
  const home = join(temp.path, `home-${name}`);
  mkdirSync(home, { recursive: true });
  return { CLAUDE_BIN: realClaudeBin(), HOME: home, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.url };
}

/** How many times `text` occurs in what the request sent as the conversation. */
const occurrences = (request: RecordedRequest, text: string) => JSON.stringify(request.body.messages).split(text).length - 1;
/** Each request answers with a word of its own, so every answer can be found in later requests. */
function answerEach(prefix: string): void {
  let n = 0;
  mock.reply = () => ({ kind: 'text', text: `${prefix}-ANSWER-${++n}` });
}
const lastRequest = () => mock.messageRequests().at(-1)!;

describe('a session with the real CLI', () => {
  const clock = new TestClock();
  let server: TestServer;
  let token: string;
  let home: string;
  beforeAll(async () => {
    const env = cliEnv('main');
    home = env.HOME!;
    server = await startTestServer(env, { clock, sessionSweepIntervalMs: 50 });
    token = await mintTokenWith(server.url, { name: 'chat', tools: ['Read'] });
  });
  afterAll(() => server.dispose());

  const create = (body: unknown = {}) => api(server.url, 'POST', '/sessions', { token, body });
  const turn = (id: string, body: unknown, as = token) => api(server.url, 'POST', `/sessions/${id}/turns`, { token: as, body });
  const transcripts = () => {
    const projects = join(home, '.claude', 'projects');
    return existsSync(projects) ? readdirSync(projects).flatMap((dir) => readdirSync(join(projects, dir))) : [];
  };

  it("sends turn 2 with turn 1's prompt and answer exactly once, and the system prompt it started with", async () => {
    answerEach('HIST');
    const id = (await create({ system: 'SYSTEM-MARKER-7f3a' })).body.session_id as string;
    const first = await turn(id, { prompt: 'FIRST-PROMPT-a1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ result: 'HIST-ANSWER-1', session_id: id });
    const second = await turn(id, { prompt: 'SECOND-PROMPT-b2' });
    expect(second.body.result).toBe('HIST-ANSWER-2');
    const request = lastRequest();
    expect([occurrences(request, 'FIRST-PROMPT-a1'), occurrences(request, 'HIST-ANSWER-1'), occurrences(request, 'SECOND-PROMPT-b2')]).toEqual([1, 1, 1]);
    expect(JSON.stringify(request.body.system)).toContain('SYSTEM-MARKER-7f3a');
    const view = (await api(server.url, 'GET', `/sessions/${id}`, { token })).body;
    expect(view).toMatchObject({ turns: 2, usage: { input_tokens: expect.any(Number), output_tokens: 14 } });
    expect(view.cost_usd).toBeGreaterThan(0);
  });

  it('forks: the fork has the history so far, the origin never sees the fork, and the fork never sees the origin’s later turns', async () => {
    answerEach('FORK');
    const id = (await create()).body.session_id as string;
    await turn(id, { prompt: 'SHARED-PROMPT-c3' });
    const forkId = (await api(server.url, 'POST', `/sessions/${id}/fork`, { token, body: {} })).body.session_id as string;

    await turn(forkId, { prompt: 'FORK-PROMPT-d4' });
    const forkRequest = lastRequest();
    expect([occurrences(forkRequest, 'SHARED-PROMPT-c3'), occurrences(forkRequest, 'FORK-ANSWER-1'), occurrences(forkRequest, 'FORK-PROMPT-d4')]).toEqual([1, 1, 1]);

    await turn(id, { prompt: 'ORIGIN-PROMPT-e5' });
    const originRequest = lastRequest();
    expect(occurrences(originRequest, 'SHARED-PROMPT-c3')).toBe(1);
    expect(occurrences(originRequest, 'FORK-PROMPT-d4')).toBe(0);

    await turn(forkId, { prompt: 'FORK-AGAIN-f6' });
    const forkAgain = lastRequest();
    expect(occurrences(forkAgain, 'FORK-PROMPT-d4')).toBe(1);
    expect(occurrences(forkAgain, 'ORIGIN-PROMPT-e5')).toBe(0);
  });

  it('lets turn 2 read a file attached in turn 1 (granted Read)', async () => {
    const id = (await create({ tools: ['Read'] })).body.session_id as string;
    const uploaded = await uploadFile(server.url, token, 'KEPT-FILE-CONTENT-91', { filename: 'kept.txt' });
    mock.reply = () => ({ kind: 'text', text: 'noted' });
    expect((await turn(id, { prompt: 'Keep this file.', files: [uploaded.body.file_token] })).status).toBe(200);
    await api(server.url, 'DELETE', `/files/${uploaded.body.file_token}`, { token }); // the session has its own copy

    let call = 0;
    mock.reply = (request) => {
      call += 1;
      const cwd = /Primary working directory: ([^\s\\]+)/.exec(JSON.stringify(request.body))?.[1];
      return call === 1 ? { kind: 'tool_use', name: 'Read', input: { file_path: join(cwd ?? '/nonexistent', 'turn1-file-1.txt') } } : { kind: 'text', text: 'read it' };
    };
    const before = mock.messageRequests().length;
    const second = await turn(id, { prompt: 'Read the file from before.' });
    expect(second.body.result).toBe('read it');
    const requests = mock.messageRequests().slice(before);
    const toolResult = requests[1]!.body.messages.at(-1).content[0];
    expect(toolResult.type).toBe('tool_result');
    expect(toolResult.is_error).not.toBe(true);
    expect(JSON.stringify(toolResult.content)).toContain('KEPT-FILE-CONTENT-91');
  });

  it('expires: the directory and the transcript are removed, and a turn is 404 saying it expired', async () => {
    mock.reply = () => ({ kind: 'text', text: 'short-lived' });
    const id = (await create({ ttl_secs: 60 })).body.session_id as string;
    await turn(id, { prompt: 'hello' });
    const dirs = readdirSync(join(server.dataDir, 'runs'));
    // Between turns the history is the service's (DATA_DIR/sessions), not in the CLI's config dir.
    expect(transcripts()).toEqual([]);
    expect(readdirSync(join(server.dataDir, 'sessions'))).toContain(`${id}.jsonl`);
    clock.advance(61_000);
    await waitFor(() => readdirSync(join(server.dataDir, 'runs')).length === dirs.length - 1 && !readdirSync(join(server.dataDir, 'sessions')).includes(`${id}.jsonl`));
    expect(transcripts()).toEqual([]);
    const late = await turn(id, { prompt: 'still there?' });
    expectError(late, 'session_not_found');
    expect(late.body.error.message).toContain('expired');
  });

  it("answers another app's token with 404", async () => {
    mock.reply = () => ({ kind: 'text', text: 'mine' });
    const id = (await create()).body.session_id as string;
    await turn(id, { prompt: 'private' });
    const stranger = await mintToken(server.url, 'stranger');
    const before = mock.messageRequests().length;
    expectError(await turn(id, { prompt: 'let me in' }, stranger), 'session_not_found');
    expectError(await api(server.url, 'GET', `/sessions/${id}`, { token: stranger }), 'session_not_found');
    expect(mock.messageRequests().length).toBe(before);
  });
});

describe('a session with the real CLI across a restart', () => {
  it('continues the conversation after the service restarts', async () => {
    const env = cliEnv('restart');
    const dataDir = join(temp.path, 'restart-data');
    const first = await startTestServer(env, { dataDir });
    const token = await mintToken(first.url, 'lasting');
    answerEach('RESTART');
    const id = (await api(first.url, 'POST', '/sessions', { token, body: {} })).body.session_id as string;
    expect((await api(first.url, 'POST', `/sessions/${id}/turns`, { token, body: { prompt: 'BEFORE-RESTART-g7' } })).status).toBe(200);
    await first.close();

    const second = await startTestServer(env, { dataDir });
    try {
      const after = await api(second.url, 'POST', `/sessions/${id}/turns`, { token, body: { prompt: 'AFTER-RESTART-h8' } });
      expect(after.status).toBe(200);
      const request = lastRequest();
      expect([occurrences(request, 'BEFORE-RESTART-g7'), occurrences(request, 'RESTART-ANSWER-1'), occurrences(request, 'AFTER-RESTART-h8')]).toEqual([1, 1, 1]);
    } finally {
      await second.dispose();
    }
  });
});
