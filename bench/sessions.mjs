// Bench section `session`: a conversation held as a session (each turn sends
// only its prompt; the CLI resumes its transcript) against the same
// conversation sent as one fresh run with the history pasted into the prompt,
// the way an app without sessions does it. The real CLI (the pinned dev
// dependency) against the tests' mock Messages API: the wall time of each, and
// the input tokens the mock counts (about four characters a token of the
// messages sent upstream), and how many of them its prompt cache served (as
// the Messages API's does: a request that starts with messages an earlier one
// marked with cache_control reads them from the cache).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPEATS = Number(process.env.BENCH_SESSION_REPEATS ?? 8);
const TURNS = 6;
/** Each answer is this long, so the history grows as a real conversation's would. */
const ANSWER = 'A roux is equal parts fat and flour, cooked while stirring. '.repeat(8).trim();
const promptOf = (turn) => `Question ${turn}: how does step ${turn} of the gumbo go, and what should I watch for?`;

/** The mock from the tests (TypeScript), loaded through tsx. */
async function startMock(root) {
  const require = createRequire(join(root, 'packages/server/package.json'));
  await import(pathToFileURL(require.resolve('tsx')).href); // tsx's loader: TypeScript imports from here on
  const { startMockAnthropic } = await import(pathToFileURL(join(root, 'packages/server/test/support/mock-anthropic.ts')).href);
  const mock = await startMockAnthropic();
  mock.reply = () => ({ kind: 'text', text: ANSWER });
  return mock;
}

function realClaudeBin(root) {
  const require = createRequire(join(root, 'packages/server/package.json'));
  return join(dirname(require.resolve('@anthropic-ai/claude-code/package.json')), 'bin', 'claude.exe');
}

/** The conversation so far, pasted into one prompt: what an app without sessions sends. */
function withHistory(turn) {
  const lines = [];
  for (let earlier = 1; earlier < turn; earlier++) lines.push(`User: ${promptOf(earlier)}`, `Assistant: ${ANSWER}`);
  return `Here is our conversation so far:\n\n${lines.join('\n\n')}\n\nUser: ${promptOf(turn)}`;
}

export async function sessionBench({ root, startService, mint, call, percentile, row }) {
  const mock = await startMock(root);
  const home = mkdtempSync(join(tmpdir(), 'clawdforge-bench-home-'));
  const service = await startService({ LOG_LEVEL: 'info', CLAUDE_BIN: realClaudeBin(root), HOME: home, ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: mock.url });
  const token = await mint(service.url);
  const timed = async (path, body) => {
    const before = mock.messageRequests().length;
    const started = process.hrtime.bigint();
    const response = await call(service.url, 'POST', path, token, body);
    if (response.status !== 200) throw new Error(`${path} failed: ${JSON.stringify(response.body)}`);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    const usage = mock.messageRequests().slice(before).map((request) => request.usage);
    const cached = usage.reduce((sum, { cache_read_input_tokens }) => sum + cache_read_input_tokens, 0);
    return { ms: elapsed, inputTokens: usage.reduce((sum, { input_tokens }) => sum + input_tokens, 0) + cached, cachedTokens: cached };
  };
  const session = { 2: [], [TURNS]: [] };
  const fresh = { 2: [], [TURNS]: [] };
  await timed('/run', { prompt: 'warm-up' });
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const { body } = await call(service.url, 'POST', '/sessions', token, {});
    for (let turn = 1; turn <= TURNS; turn++) {
      // Interleaved: the turn in the session, then the same point of the conversation as a fresh run.
      const inSession = await timed(`/sessions/${body.session_id}/turns`, { prompt: promptOf(turn) });
      if (session[turn]) session[turn].push(inSession);
      if (fresh[turn]) fresh[turn].push(await timed('/run', { prompt: withHistory(turn) }));
    }
    await call(service.url, 'DELETE', `/sessions/${body.session_id}`, token);
  }
  await service.stop();
  await mock.close();
  rmSync(home, { recursive: true, force: true });

  const wall = (samples) => ({ p50: percentile(samples.map((s) => s.ms), 50), p99: percentile(samples.map((s) => s.ms), 99) });
  const tokens = (samples) => {
    const total = percentile(samples.map((s) => s.inputTokens), 50);
    const cached = percentile(samples.map((s) => s.cachedTokens), 50);
    return `${total} (${cached} from the prompt cache, ${total - cached} uncached)`;
  };
  console.log(`\nsession turns vs the same conversation as a fresh run with the history in the prompt (real CLI against the mock, ${REPEATS} conversations, answers ${ANSWER.length} chars)`);
  for (const turn of [2, TURNS]) {
    row(`turn ${turn} in a session (--resume)`, wall(session[turn]));
    row(`turn ${turn} as a fresh run, history pasted`, wall(fresh[turn]));
    console.log(`  input tokens upstream, turn ${turn}: session ${tokens(session[turn])}; fresh run ${tokens(fresh[turn])}`);
  }
}
