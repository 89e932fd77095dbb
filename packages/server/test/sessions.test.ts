// Sessions with the fake CLI: the flags each turn gets (the service's own CLI
// ids, --session-id then --resume, a fork's first turn), one turn at a time,
// ownership, the directory that lasts, expiry, delete, limits and restarts.
// The real CLI's history handling is proven in real-claude-sessions.test.ts.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { postForEvents } from './support/sse.js';
import { makeTempDir } from './support/temp-dir.js';
import { TestClock } from './support/test-clock.js';
import { ADMIN_TOKEN, api, mintToken, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

const temp = makeTempDir('clawdforge-sessions-');
afterAll(() => temp.remove());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A home of its own per server, so the CLI's transcripts (under ~/.claude/projects) can be looked at. */
function sessionEnv(name: string, extra: Record<string, string> = {}): Record<string, string> {
  const home = join(temp.path, `home-${name}`);
  mkdirSync(home, { recursive: true });
  return { CLAUDE_BIN: FAKE_CLAUDE, HOME: home, ...extra };
}

const argAfter = (args: string[], flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const transcripts = (home: string) => {
  const projects = join(home, '.claude', 'projects');
  return existsSync(projects) ? readdirSync(projects).flatMap((dir) => readdirSync(join(projects, dir)).map((name) => `${dir}/${name}`)) : [];
};
const sessionDirs = (server: TestServer) => readdirSync(join(server.dataDir, 'runs')).filter((name) => name.startsWith('ses-'));
/** Histories the service keeps between turns (DATA_DIR/sessions). */
const stored = (server: TestServer) => readdirSync(join(server.dataDir, 'sessions')).sort();

describe('a session with the fake CLI', () => {
  const clock = new TestClock();
  let server: TestServer;
  let token: string;
  let other: string;
  let home: string;
  beforeAll(async () => {
    const env = sessionEnv('main', { MAX_SESSIONS_PER_APP: '4' });
    home = env.HOME!;
    server = await startTestServer(env, { clock, sessionSweepIntervalMs: 50 });
    token = await mintTokenWith(server.url, { name: 'chat', tools: ['Read'] });
    other = await mintToken(server.url, 'intruder');
  });
  afterAll(() => server.dispose());

  const create = (body: unknown = {}, as = token) => api(server.url, 'POST', '/sessions', { token: as, body });
  const turn = (id: string, body: unknown, as = token) => api(server.url, 'POST', `/sessions/${id}/turns`, { token: as, body });
  const remove = async (id: string) => expect((await api(server.url, 'DELETE', `/sessions/${id}`, { token })).body).toEqual({ ok: true, session_id: id });

  it('starts the CLI session on the first turn and resumes it after, sending only the new prompt, under an id of the service', async () => {
    const created = await create({ system: 'You are terse.', ttl_secs: 600 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ session_id: expect.stringMatching(/^ses_/), expires_at: new Date(clock.now().getTime() + 600_000).toISOString() });
    const id = created.body.session_id as string;

    const first = await turn(id, { prompt: 'first question' });
    expect(first.status).toBe(200);
    expect(first.body.session_id).toBe(id);
    const firstArgs = first.body.result.args as string[];
    const cliId = argAfter(firstArgs, '--session-id')!;
    expect(cliId).toMatch(UUID);
    expect(firstArgs).not.toContain('--resume');
    expect(firstArgs).not.toContain('--no-session-persistence');
    expect(first.body.result.system).toBe('You are terse.');

    const second = await turn(id, { prompt: 'second question' });
    expect(second.status).toBe(200);
    const secondArgs = second.body.result.args as string[];
    expect(argAfter(secondArgs, '--resume')).toBe(cliId);
    expect(secondArgs).not.toContain('--session-id');
    // The CLI keeps the system prompt it started with; the service does not send it again.
    expect(secondArgs).not.toContain('--system-prompt-file');
    expect(second.body.result.prompt).toBe('second question');
    expect(second.body.result.history).toEqual(['first question']);
    expect(second.body.result.cwd).toBe(first.body.result.cwd);
    // Between turns the history is the service's: nothing of it is left where a run could read it.
    expect(transcripts(home)).toEqual([]);
    expect(stored(server)).toContain(`${id}.jsonl`);

    const view = await api(server.url, 'GET', `/sessions/${id}`, { token });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ session_id: id, turns: 2, busy: false, usage: { input_tokens: 22, output_tokens: 14 }, cost_usd: 0.0084, ttl_secs: 600, forked_from: null });
    const audit = readAuditRows(server.dataDir).filter((row) => row.session_id === id);
    expect(audit.map((row) => [row.turn, row.status])).toEqual([[1, 'ok'], [2, 'ok']]);
    const filtered = await api(server.url, 'GET', `/admin/runs?session_id=${id}`, { token: ADMIN_TOKEN });
    expect(filtered.body.runs.map((run: { turn: number }) => run.turn)).toEqual([2, 1]);
    await remove(id);
  });

  it('refuses a turn that tries to change the system prompt, saying why, and runs nothing', async () => {
    const id = (await create({ system: 'one' })).body.session_id as string;
    const refused = await turn(id, { prompt: 'hi', system: 'two' });
    expectError(refused, 'invalid_request');
    expect(refused.body.error.message).toMatch(/system cannot change after the session is created/);
    expect((await api(server.url, 'GET', `/sessions/${id}`, { token })).body.turns).toBe(0);
    await remove(id);
  });

  it('keeps a file attached in one turn in the directory for the next, under names that do not collide', async () => {
    const id = (await create({ tools: ['Read'] })).body.session_id as string;
    const upload = await uploadFile(server.url, token, 'turn one notes', { filename: 'notes.txt' });
    const first = await turn(id, { prompt: 'read it', files: [upload.body.file_token] });
    expect(first.body.result.cwd_files).toEqual(['turn1-file-1.txt']);
    const again = await uploadFile(server.url, token, 'turn two notes', { filename: 'more.txt' });
    const second = await turn(id, { prompt: 'and this', files: [again.body.file_token] });
    expect(second.body.result.cwd_files.sort()).toEqual(['turn1-file-1.txt', 'turn2-file-1.txt']);
    await remove(id);
  });

  it('runs one turn at a time: a second turn, or a fork, while one runs is 409 session_busy', async () => {
    const id = (await create()).body.session_id as string;
    const slow = turn(id, { prompt: '[[sleep:1500]] slow' });
    await waitFor(async () => (await api(server.url, 'GET', `/sessions/${id}`, { token })).body.busy === true);
    expectError(await turn(id, { prompt: 'meanwhile' }), 'session_busy');
    expectError(await api(server.url, 'POST', `/sessions/${id}/fork`, { token, body: {} }), 'session_busy');
    expect((await slow).status).toBe(200);
    expect((await turn(id, { prompt: 'after' })).status).toBe(200);
    await remove(id);
  });

  it('numbers every attempt: a turn retried after a failure gets its own number and its files their own names', async () => {
    const id = (await create()).body.session_id as string;
    const first = await uploadFile(server.url, token, 'first try', { filename: 'a.txt' });
    expectError(await turn(id, { prompt: '[[exit:1]]', files: [first.body.file_token] }), 'claude_error');
    const again = await uploadFile(server.url, token, 'second try', { filename: 'a.txt' });
    const retried = await turn(id, { prompt: 'again', files: [again.body.file_token] });
    expect(retried.status).toBe(200);
    expect(retried.body.result.cwd_files.sort()).toEqual(['turn1-file-1.txt', 'turn2-file-1.txt']);
    expect(readAuditRows(server.dataDir).filter((row) => row.session_id === id).map((row) => [row.turn, row.status])).toEqual([[1, 'error'], [2, 'ok']]);
    expect((await api(server.url, 'GET', `/sessions/${id}`, { token })).body.turns).toBe(1);
    await remove(id);
  });

  it('ends a session whose history grew past 64 MiB, saying so, and keeps nothing of it', async () => {
    const id = (await create()).body.session_id as string;
    await turn(id, { prompt: 'small' });
    const grown = await turn(id, { prompt: `[[transcript_bytes:${64 * 1024 * 1024 + 1}]]` });
    expectError(grown, 'session_limit_reached');
    expect(grown.body.error.message).toMatch(/history could not be kept/);
    expect(stored(server).filter((name) => name.startsWith(id))).toEqual([]);
    expect(transcripts(home)).toEqual([]);
    expectError(await turn(id, { prompt: 'again?' }), 'session_not_found');
  });

  it('ends the sessions of a revoked token: directory and history removed', async () => {
    const doomed = await mintToken(server.url, 'doomed');
    const id = (await create({}, doomed)).body.session_id as string;
    expect((await turn(id, { prompt: 'soon revoked' }, doomed)).status).toBe(200);
    const dirs = sessionDirs(server).length;
    expect((await api(server.url, 'DELETE', '/admin/tokens/doomed', { token: ADMIN_TOKEN })).status).toBe(200);
    expect(sessionDirs(server).length).toBe(dirs - 1);
    expect(stored(server).filter((name) => name.startsWith(id))).toEqual([]);
  });

  it("hides a session from every other app: 404 session_not_found, and it is not in their list", async () => {
    const id = (await create()).body.session_id as string;
    expectError(await api(server.url, 'GET', `/sessions/${id}`, { token: other }), 'session_not_found');
    expectError(await turn(id, { prompt: 'hi' }, other), 'session_not_found');
    expectError(await api(server.url, 'POST', `/sessions/${id}/fork`, { token: other, body: {} }), 'session_not_found');
    expectError(await api(server.url, 'DELETE', `/sessions/${id}`, { token: other }), 'session_not_found');
    expect((await api(server.url, 'GET', '/sessions', { token: other })).body).toEqual({ sessions: [] });
    expect((await api(server.url, 'GET', '/sessions', { token })).body.sessions.map((s: { session_id: string }) => s.session_id)).toContain(id);
    expect((await api(server.url, 'GET', `/sessions/${id}`, { token })).status).toBe(200);
    await remove(id);
  });

  it('forks: the fork continues from the history so far, and the origin never sees the fork’s turns', async () => {
    const id = (await create()).body.session_id as string;
    const upload = await uploadFile(server.url, token, 'shared notes', { filename: 'notes.txt' });
    const originFirst = await turn(id, { prompt: 'origin one', files: [upload.body.file_token] });
    const originCli = argAfter(originFirst.body.result.args, '--session-id')!;

    const forked = await api(server.url, 'POST', `/sessions/${id}/fork`, { token, body: {} });
    expect(forked.status).toBe(201);
    const forkId = forked.body.session_id as string;
    expect(forkId).not.toBe(id);

    const forkFirst = await turn(forkId, { prompt: 'fork one' });
    const forkArgs = forkFirst.body.result.args as string[];
    expect(forkArgs).toContain('--fork-session');
    const forkCli = argAfter(forkArgs, '--session-id')!;
    expect(forkCli).toMatch(UUID);
    expect([originCli, argAfter(forkArgs, '--resume')]).not.toContain(forkCli);
    expect(argAfter(forkArgs, '--resume')).not.toBe(originCli); // a copy made at fork time, not the origin's live transcript
    const firstLines = (prompts: string[]) => prompts.map((prompt) => prompt.split('\n')[0]);
    expect(firstLines(forkFirst.body.result.history)).toEqual(['origin one']);
    expect(forkFirst.body.result.cwd).not.toBe(originFirst.body.result.cwd);
    expect(forkFirst.body.result.cwd_files).toEqual(['turn1-file-1.txt']);

    const originSecond = await turn(id, { prompt: 'origin two' });
    expect(firstLines(originSecond.body.result.history)).toEqual(['origin one']);
    const forkSecond = await turn(forkId, { prompt: 'fork two' });
    expect(argAfter(forkSecond.body.result.args, '--resume')).toBe(forkCli);
    expect(firstLines(forkSecond.body.result.history)).toEqual(['origin one', 'fork one']);
    // The copy the fork started from is gone once the fork has its own history; the CLI's copies go after every turn.
    expect(stored(server)).toEqual(expect.arrayContaining([`${id}.jsonl`, `${forkId}.jsonl`]));
    expect(stored(server)).not.toContain(`${forkId}.fork.jsonl`);
    expect(transcripts(home)).toEqual([]);
    expect((await api(server.url, 'GET', `/sessions/${forkId}`, { token })).body).toMatchObject({ forked_from: id, turns: 2 });
    await remove(id);
    await remove(forkId);
  });

  it('deletes: a running turn is cancelled, the directory and the transcript go, and a later turn is 404', async () => {
    const id = (await create()).body.session_id as string;
    await turn(id, { prompt: 'remember me' });
    const dirsBefore = sessionDirs(server).length;
    const running = turn(id, { prompt: '[[sleep:20000]] long' });
    await waitFor(async () => (await api(server.url, 'GET', `/sessions/${id}`, { token })).body.busy === true);
    expect(transcripts(home).length).toBe(1); // the history is where the CLI reads it only while a turn runs
    expect((await api(server.url, 'DELETE', `/sessions/${id}`, { token })).body).toEqual({ ok: true, session_id: id });
    expectError(await running, 'run_cancelled');
    expect(sessionDirs(server).length).toBe(dirsBefore - 1);
    expect(transcripts(home)).toEqual([]);
    expect(stored(server).filter((name) => name.startsWith(id))).toEqual([]);
    expectError(await turn(id, { prompt: 'still there?' }), 'session_not_found');
    expect(readAuditRows(server.dataDir).filter((row) => row.session_id === id).map((row) => row.status)).toEqual(['ok', 'cancelled']);
  });

  it('expires an idle session after its TTL: directory and transcript removed, and a turn hears it expired', async () => {
    const id = (await create({ ttl_secs: 120 })).body.session_id as string;
    await turn(id, { prompt: 'soon gone' });
    const dirs = sessionDirs(server).length;
    expect(stored(server)).toContain(`${id}.jsonl`);
    clock.advance(60_000);
    expect((await turn(id, { prompt: 'still here' })).status).toBe(200); // a turn restarts the idle clock
    clock.advance(100_000);
    expect((await api(server.url, 'GET', `/sessions/${id}`, { token })).status).toBe(200);
    clock.advance(21_000);
    await waitFor(() => sessionDirs(server).length === dirs - 1 && !stored(server).includes(`${id}.jsonl`));
    expect(transcripts(home)).toEqual([]);
    const late = await turn(id, { prompt: 'hello?' });
    expectError(late, 'session_not_found');
    expect(late.body.error.message).toMatch(/expired/);
    expectError(await api(server.url, 'GET', `/sessions/${id}`, { token }), 'session_not_found');
    expect((await api(server.url, 'GET', '/sessions', { token })).body.sessions.map((s: { session_id: string }) => s.session_id)).not.toContain(id);
  });

  it('checks a session against the policy when it is made: a tool the token lacks is 403, and nothing is made', async () => {
    const dirs = sessionDirs(server).length;
    expectError(await create({ tools: ['Write'] }), 'tool_not_allowed');
    expectError(await create({ json_schema: { type: 'array' } }), 'invalid_request');
    expect(sessionDirs(server).length).toBe(dirs);
  });

  it('holds each app to MAX_SESSIONS_PER_APP live sessions', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await create()).body.session_id);
    expectError(await create(), 'session_limit_reached');
    expectError(await api(server.url, 'POST', `/sessions/${ids[0]}/fork`, { token, body: {} }), 'session_limit_reached');
    await remove(ids.pop()!);
    expect((await create()).status).toBe(201);
    for (const { session_id } of (await api(server.url, 'GET', '/sessions', { token })).body.sessions) await remove(session_id);
  });

  it('streams a turn as Server-Sent Events, naming the session, and runs a turn as an async run', async () => {
    const id = (await create()).body.session_id as string;
    const streamed = await postForEvents(server.url, `/sessions/${id}/turns`, token, { prompt: 'stream me' });
    expect(streamed.status).toBe(200);
    expect(streamed.frames[0]!.event).toBe('queued');
    expect(streamed.frames.find((frame) => frame.event === 'started')!.data.session_id).toBe(id);
    expect(streamed.frames.at(-1)).toMatchObject({ event: 'result', data: { ok: true, session_id: id } });

    const accepted = await api(server.url, 'POST', `/sessions/${id}/runs`, { token, body: { prompt: 'later' } });
    expect(accepted.status).toBe(202);
    const done = await waitFor(async () => {
      const status = await api(server.url, 'GET', `/runs/${accepted.body.run_id}`, { token });
      return status.body.status === 'ok' && status.body;
    });
    expect(done.result.session_id).toBe(id);
    expect(done.result.result.history).toEqual(['stream me']);
    await remove(id);
  });
});

describe('sessions across a restart', () => {
  it('keeps a live session usable, with what the CLI wrote of a turn cut short, and removes the directory of one whose row is gone', async () => {
    const env = sessionEnv('restart');
    const dataDir = join(temp.path, 'restart-data');
    const first = await startTestServer(env, { dataDir });
    const token = await mintToken(first.url, 'lasting');
    const id = (await api(first.url, 'POST', '/sessions', { token, body: {} })).body.session_id as string;
    const before = await api(first.url, 'POST', `/sessions/${id}/turns`, { token, body: { prompt: 'before the restart' } });
    expect(before.status).toBe(200);
    await first.close();
    mkdirSync(join(dataDir, 'runs', 'ses-0123456789abcdef0123456789abcdef')); // a session directory with no session
    // A turn a crash cut short: the CLI's copy of the history is where the CLI left it, one turn ahead of the stored one.
    const cliId = argAfter(before.body.result.args, '--session-id')!;
    const projectDir = join(env.HOME!, '.claude', 'projects', (before.body.result.cwd as string).replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(projectDir, { recursive: true });
    const lines = [{ prompt: 'before the restart', answer: 'a' }, { prompt: 'cut short', answer: 'b' }];
    writeFileSync(join(projectDir, `${cliId}.jsonl`), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const db = new SQLite(join(dataDir, 'clawdforge.sqlite'));
    db.prepare('update sessions set open_turn = 1 where id = ?').run(id); // as a turn leaves it until it is sealed again
    db.close();

    const second = await startTestServer(env, { dataDir });
    try {
      const after = await api(second.url, 'POST', `/sessions/${id}/turns`, { token, body: { prompt: 'after the restart' } });
      expect(after.status).toBe(200);
      expect(after.body.result.history).toEqual(['before the restart', 'cut short']);
      expect(readdirSync(join(dataDir, 'runs'))).toEqual([expect.stringMatching(/^ses-[0-9a-f]{32}$/)]);
      expect(existsSync(projectDir)).toBe(false);
    } finally {
      await second.dispose();
    }
  });
});
