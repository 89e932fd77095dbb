// Several Claude accounts with the real Claude Code CLI against the mock
// Messages API, which tells its callers apart by the credential each request
// carries and answers each as its account's limits say: failover on a
// rejected limit, cooling until the API's reset, all accounts cooling, a
// session following its history to another account, a dead login leaving
// the rotation.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { startMockAnthropic, unifiedLimitHeaders, type MockAnthropic, type MockReply, type RecordedRequest } from './support/mock-anthropic.js';
import { realClaudeBin } from './support/processes.js';
import { postForEvents } from './support/sse.js';
import { makeTempDir } from './support/temp-dir.js';
import { TestClock } from './support/test-clock.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

const TOKEN_A = 'sk-ant-oat01-ACCOUNT-A';
const TOKEN_B = 'sk-ant-oat01-ACCOUNT-B';
const AMBIENT_KEY = 'sk-ant-api03-AMBIENT';

const temp = makeTempDir('clawdforge-accounts-');
let mock: MockAnthropic;
beforeAll(async () => {
  mock = await startMockAnthropic();
});
afterAll(async () => {
  await mock.close();
  temp.remove();
});

let serial = 0;
/**
 * A service with two OAuth accounts: `a` (priority 10, its token in an
 * environment variable) before `b` (priority 5, its token in a file). The
 * service's own environment also holds an API key that no run may use.
 */
async function startWithAccounts(clock: TestClock, extra: object[] = []): Promise<TestServer> {
  const dir = join(temp.path, `service-${++serial}`);
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const secretFile = join(dir, 'b.token');
  writeFileSync(secretFile, `${TOKEN_B}\n`, { mode: 0o600 });
  const accountsFile = join(dir, 'accounts.json');
  const accounts = [
    { name: 'a', type: 'oauth_token', secret_env: 'ACCOUNT_A_TOKEN', priority: 10 },
    { name: 'b', type: 'oauth_token', secret_file: secretFile, priority: 5 },
    ...extra,
  ];
  writeFileSync(accountsFile, JSON.stringify(accounts));
  return startTestServer(
    {
      CLAUDE_BIN: realClaudeBin(),
      HOME: home,
      ANTHROPIC_BASE_URL: mock.url,
      ANTHROPIC_API_KEY: AMBIENT_KEY,
      ACCOUNT_A_TOKEN: TOKEN_A,
      CLAUDE_ACCOUNTS_FILE: accountsFile,
      CLAUDE_MAX_RETRIES: '0',
    },
    { clock },
  );
}

const epochSecs = (clock: TestClock) => Math.floor(clock.now().getTime() / 1000);

/** Each account answers as `byToken` says; every answer names the account, so a result shows where the run went. */
function answerBy(byToken: Record<string, (request: RecordedRequest) => MockReply>): void {
  mock.reply = (request) => {
    const reply = byToken[request.credential ?? ''];
    if (!reply) throw new Error(`a request carried an unexpected credential: ${request.credential}`);
    return reply(request);
  };
}
const answers = (text: string, resetsAt: number) => (): MockReply => ({ kind: 'text', text, headers: unifiedLimitHeaders({ status: 'allowed', resetsAt }) });
const rejects = (resetsAt: number) => (): MockReply => ({
  kind: 'error',
  status: 429,
  type: 'rate_limit_error',
  message: 'limit reached',
  headers: unifiedLimitHeaders({ status: 'rejected', resetsAt }),
});
const credentialsSince = (before: number) => mock.messageRequests().slice(before).map((request) => request.credential);

const admin = (server: TestServer, method: string, path: string) => api(server.url, method, path, { token: ADMIN_TOKEN });
const accountNamed = async (server: TestServer, name: string) => ((await admin(server, 'GET', '/admin/accounts')).body.accounts as any[]).find((account) => account.name === name);

describe('runs over several Claude accounts (real CLI)', () => {
  let clock: TestClock;
  let server: TestServer;
  let token: string;
  beforeEach(async () => {
    clock = new TestClock();
    server = await startWithAccounts(clock);
    token = await mintToken(server.url, 'pantry');
  });
  afterEach(async () => {
    await server.dispose();
  });
  const run = (prompt: string) => api(server.url, 'POST', '/run', { token, body: { prompt, timeout_secs: 60 } });

  it('goes to the highest-priority account, with its own credential and never the service\'s', async () => {
    const before = mock.messageRequests().length;
    answerBy({ [TOKEN_A]: answers('from a', epochSecs(clock) + 3600), [TOKEN_B]: answers('from b', epochSecs(clock) + 3600) });
    const response = await run('hello');
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('from a');
    expect(credentialsSince(before)).toEqual([TOKEN_A]);
    expect(mock.requests.some((request) => request.credential === AMBIENT_KEY)).toBe(false);
    expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ account: 'a', failover_from: null });
  });

  it('moves a run that account a rejected to b, and cools a until the reset the API gave', async () => {
    const reset = epochSecs(clock) + 2 * 3600;
    answerBy({ [TOKEN_A]: rejects(reset), [TOKEN_B]: answers('from b', epochSecs(clock) + 3600) });
    const before = mock.messageRequests().length;
    const response = await run('hello');
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('from b');
    expect(credentialsSince(before)).toEqual([TOKEN_A, TOKEN_B]);
    expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ status: 'ok', account: 'b', failover_from: 'a' });
    const a = await accountNamed(server, 'a');
    expect(a).toMatchObject({ state: 'cooling', cooling_until: new Date(reset * 1000).toISOString() });
    expect(a.last_rate_limit).toMatchObject({ status: 'rejected', limit_type: 'five_hour', five_hour: { utilization: 1 } });
    const ready = await api(server.url, 'GET', '/readyz');
    expect(ready.status).toBe(200); // b still serves
    expect(ready.body.accounts).toEqual([
      { name: 'a', state: 'cooling', until: new Date(reset * 1000).toISOString() },
      { name: 'b', state: 'ready', until: null },
    ]);

    // While a cools, runs go straight to b.
    const next = mock.messageRequests().length;
    expect((await run('again')).body.result).toBe('from b');
    expect(credentialsSince(next)).toEqual([TOKEN_B]);

    // Past the reset (on the service's clock), a takes runs again.
    answerBy({ [TOKEN_A]: answers('from a', reset + 3600), [TOKEN_B]: answers('from b', reset + 3600) });
    clock.advance(2 * 3600 * 1000 + 1000);
    expect((await run('later')).body.result).toBe('from a');
    expect((await accountNamed(server, 'a')).state).toBe('ready');
  });

  it('streams a run moved to another account as one run: one started, the rejected limit, then the answer', async () => {
    const reset = epochSecs(clock) + 3600;
    answerBy({ [TOKEN_A]: rejects(reset), [TOKEN_B]: () => ({ kind: 'text', text: 'streamed from b', chunks: ['streamed', ' from b'] }) });
    const exchange = await postForEvents(server.url, '/run', token, { prompt: 'stream it', timeout_secs: 60 });
    expect(exchange.status).toBe(200);
    const types = exchange.frames.map((frame) => frame.event);
    expect(types.filter((type) => type === 'started')).toHaveLength(1);
    expect(exchange.frames.find((frame) => frame.event === 'rate_limit')?.data).toEqual({ status: 'rejected', resets_at: reset });
    expect(exchange.frames.filter((frame) => frame.event === 'text').map((frame) => frame.data.text).join('')).toBe('streamed from b');
    expect(exchange.frames.at(-1)).toMatchObject({ event: 'result', data: { ok: true, result: 'streamed from b' } });
    expect(exchange.frames.map((frame) => Number(frame.id))).toEqual(exchange.frames.map((_, index) => index + 1));
  });

  it('answers 429 claude_rate_limited with Retry-After at the earliest reset once every account cools, without calling the API again', async () => {
    const now = epochSecs(clock);
    answerBy({ [TOKEN_A]: rejects(now + 7200), [TOKEN_B]: rejects(now + 1800) });
    const response = await run('hello');
    expectError(response, 'claude_rate_limited');
    expect(response.headers.get('retry-after')).toBe('1800');
    expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ status: 'error', error_code: 'claude_rate_limited', account: 'b', failover_from: 'a' });

    const before = mock.requests.length;
    clock.advance(600 * 1000);
    const refused = await run('hello again');
    expectError(refused, 'claude_rate_limited');
    expect(refused.headers.get('retry-after')).toBe('1200');
    expect(mock.requests.length).toBe(before);
    const ready = await api(server.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.accounts.map((account: { state: string }) => account.state)).toEqual(['cooling', 'cooling']);
  });

  it('cools an account for ACCOUNT_COOLDOWN_SECS when its 429 gave no reset time', async () => {
    answerBy({ [TOKEN_A]: () => ({ kind: 'error', status: 429, type: 'rate_limit_error', message: 'slow down' }), [TOKEN_B]: answers('from b', epochSecs(clock) + 3600) });
    expect((await run('hello')).body.result).toBe('from b');
    const a = await accountNamed(server, 'a');
    expect(a.state).toBe('cooling');
    expect(Date.parse(a.cooling_until) - clock.now().getTime()).toBe(60_000);
  });

  it('records allowed_warning with its utilization, shows it, and keeps using the account', async () => {
    const reset = epochSecs(clock) + 3600;
    answerBy({ [TOKEN_A]: () => ({ kind: 'text', text: 'from a', headers: unifiedLimitHeaders({ status: 'allowed_warning', resetsAt: reset, fiveHourUtilization: 0.91, sevenDayUtilization: 0.42 }) }) });
    expect((await run('one')).body.result).toBe('from a');
    expect((await run('two')).body.result).toBe('from a');
    const a = await accountNamed(server, 'a');
    expect(a.state).toBe('ready');
    expect(a.last_rate_limit).toMatchObject({ five_hour: { utilization: 0.91, resets_at: new Date(reset * 1000).toISOString() }, seven_day: { utilization: 0.42 } });
    const metrics = await api<string>(server.url, 'GET', '/metrics');
    expect(metrics.body).toContain('clawdforge_account_utilization{account="a",window="five_hour"} 0.91');
    expect(metrics.body).toContain('clawdforge_account_runs_total{account="a",result="ok"} 2');
    expect(metrics.body).toContain('clawdforge_account_state{account="a",state="ready"} 1');
  });

  it('takes an account whose login is refused (401) out of rotation, names it in /readyz, and puts it back when enabled', async () => {
    answerBy({ [TOKEN_A]: () => ({ kind: 'error', status: 401, type: 'authentication_error', message: 'invalid token' }), [TOKEN_B]: answers('from b', epochSecs(clock) + 3600) });
    const response = await run('hello');
    expect(response.status).toBe(200);
    expect(response.body.result).toBe('from b');
    expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ account: 'b', failover_from: 'a' });
    const ready = await api(server.url, 'GET', '/readyz');
    expect(ready.body.accounts).toContainEqual({ name: 'a', state: 'logged_out', until: null });

    const before = mock.messageRequests().length;
    expect((await run('again')).body.result).toBe('from b');
    expect(credentialsSince(before)).toEqual([TOKEN_B]);

    answerBy({ [TOKEN_A]: answers('from a', epochSecs(clock) + 3600) });
    const enabled = await admin(server, 'POST', '/admin/accounts/a/enable');
    expect(enabled.status).toBe(200);
    expect(enabled.body.state).toBe('ready');
    expect((await run('back')).body.result).toBe('from a');
  });

  it('keeps a disabled account out of rotation', async () => {
    answerBy({ [TOKEN_A]: answers('from a', epochSecs(clock) + 3600), [TOKEN_B]: answers('from b', epochSecs(clock) + 3600) });
    const disabled = await admin(server, 'POST', '/admin/accounts/a/disable');
    expect(disabled.body).toMatchObject({ name: 'a', state: 'disabled' });
    expect((await run('hello')).body.result).toBe('from b');
    expectError(await admin(server, 'POST', '/admin/accounts/nobody/disable'), 'not_found');
    const actions = await admin(server, 'GET', '/admin/audit');
    expect(actions.body.actions[0]).toMatchObject({ action: 'account.disable', target: 'a' });
  });

  it('cools an account whose answer came with a rejected limit, and keeps the answer rather than running it again', async () => {
    const reset = epochSecs(clock) + 600;
    answerBy({ [TOKEN_A]: () => ({ kind: 'text', text: 'answered', headers: unifiedLimitHeaders({ status: 'rejected', resetsAt: reset }) }) });
    const before = mock.messageRequests().length;
    const response = await run('hello');
    expect(response.body.result).toBe('answered');
    expect(credentialsSince(before)).toEqual([TOKEN_A]);
    expect(await accountNamed(server, 'a')).toMatchObject({ state: 'cooling', cooling_until: new Date(reset * 1000).toISOString() });
  });
});

describe('a session over several accounts (real CLI)', () => {
  it('follows its history to b when a cools, and stays there', async () => {
    const clock = new TestClock();
    const server = await startWithAccounts(clock);
    try {
      const token = await mintToken(server.url, 'notes');
      const created = await api(server.url, 'POST', '/sessions', { token, body: { ttl_secs: 86_400 } });
      expect(created.status).toBe(201);
      const id = created.body.session_id as string;
      const turn = (prompt: string) => api(server.url, 'POST', `/sessions/${id}/turns`, { token, body: { prompt, timeout_secs: 60 } });
      const reset = epochSecs(clock) + 3600;

      answerBy({ [TOKEN_A]: answers('FIRST-ANSWER-ON-A', reset) });
      expect((await turn('FIRST-PROMPT')).body.result).toBe('FIRST-ANSWER-ON-A');

      answerBy({ [TOKEN_A]: rejects(reset), [TOKEN_B]: answers('SECOND-ANSWER-ON-B', reset) });
      const before = mock.messageRequests().length;
      const second = await turn('SECOND-PROMPT');
      expect(second.status).toBe(200);
      expect(second.body.result).toBe('SECOND-ANSWER-ON-B');
      const onB = mock.messageRequests().slice(before).find((request) => request.credential === TOKEN_B)!;
      const sent = JSON.stringify(onB.body.messages);
      // b got the whole conversation once: the history followed the session.
      for (const text of ['FIRST-PROMPT', 'FIRST-ANSWER-ON-A', 'SECOND-PROMPT']) expect(sent.split(text).length - 1).toBe(1);
      expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ session_id: id, account: 'b', failover_from: 'a', turn: 2 });

      // a is back, but the session stays where its conversation is cached.
      clock.advance(3600 * 1000 + 1000);
      answerBy({ [TOKEN_A]: answers('wrong account', reset + 7200), [TOKEN_B]: answers('THIRD-ANSWER-ON-B', reset + 7200) });
      const third = await turn('THIRD-PROMPT');
      expect(third.body).toMatchObject({ result: 'THIRD-ANSWER-ON-B' });
      const last = mock.messageRequests().at(-1)!;
      expect(last.credential).toBe(TOKEN_B);
      expect(JSON.stringify(last.body.messages)).toContain('SECOND-ANSWER-ON-B');
    } finally {
      await server.dispose();
    }
  });
});
