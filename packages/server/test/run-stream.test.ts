// POST /run with Accept: text/event-stream: the run's events as Server-Sent
// Events, with the blocking run's checks, queue and audit row.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runEventSchema } from '@clawdforge/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { FAKE_CLAUDE, isAlive, readPid, waitFor } from './support/processes.js';
import { postForEvents } from './support/sse.js';
import { makeTempDir } from './support/temp-dir.js';
import { api, mintTokenWith, useServerWithApp } from './support/test-server.js';

const scratch = makeTempDir('clawdforge-stream-');
afterAll(() => scratch.remove());

describe('a streamed run', () => {
  const ctx = useServerWithApp(
    { CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '1', MAX_QUEUED_RUNS: '1' },
    { httpTimeouts: { headersMs: 10_000, requestMs: 120_000, bodyIdleMs: 15_000, sseHeartbeatMs: 100 } },
  );

  it('sends queued, started, the text as it is written, then the blocking answer as result; one audit row', async () => {
    const before = readAuditRows(ctx.server.dataDir).length;
    const exchange = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[text:one two three]]' });
    expect(exchange.status).toBe(200);
    expect(exchange.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(exchange.headers['x-accel-buffering']).toBe('no');
    expect(exchange.headers['cache-control']).toBe('no-cache');
    const events = exchange.frames.map((frame) => runEventSchema.parse({ seq: Number(frame.id), type: frame.event, data: frame.data }));
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.type)).toEqual(['queued', 'started', 'text', 'text', 'text', 'result']);
    expect(events[0]!.data).toEqual({ position: 0 });
    expect(events[1]!.data).toEqual({ model: 'claude-fake-model', session_id: 'fake-session-0001', cli_version: '2.1.328' });
    expect(events.filter((event) => event.type === 'text').map((event) => (event.data as { text: string }).text).join('')).toBe('one two three');
    const result = events.at(-1)!.data as { ok: boolean; result: unknown; run_id: string };
    expect(result).toMatchObject({ ok: true, result: 'one two three', run_id: expect.stringMatching(/^run_/) });
    const rows = readAuditRows(ctx.server.dataDir);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ id: result.run_id, status: 'ok' });
  });

  it('delivers each delta as it happens, well before the result', async () => {
    const exchange = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[text:slow steady words]][[delta_ms:300]]' });
    const texts = exchange.frames.filter((frame) => frame.event === 'text');
    const result = exchange.frames.find((frame) => frame.event === 'result')!;
    expect(texts).toHaveLength(3);
    expect(result.at - texts[0]!.at).toBeGreaterThanOrEqual(500);
    expect(texts[1]!.at - texts[0]!.at).toBeGreaterThanOrEqual(200);
  });

  it('frames multi-line text as one data line per event, and the text arrives intact', async () => {
    const exchange = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[text:first line\\nsecond  line\\n\\nthird]]' });
    for (const frame of exchange.frames) expect(frame.dataLines).toHaveLength(1);
    const text = exchange.frames.filter((frame) => frame.event === 'text').map((frame) => frame.data.text).join('');
    expect(text).toBe('first line\nsecond  line\n\nthird');
    expect(exchange.frames.at(-1)!.data.result).toBe(text);
  });

  it('tells a tool call by name and a short summary', async () => {
    const exchange = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[tool_call:Bash:{"command":"ls   -la\\n/tmp"}]][[text:done]]' });
    expect(exchange.frames.find((frame) => frame.event === 'tool')?.data).toEqual({ name: 'Bash', summary: 'ls -la /tmp' });
  });

  it('ends with the error envelope as the last event when the run fails after it was queued', async () => {
    const exchange = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[exit:1]]' });
    expect(exchange.status).toBe(200);
    const last = exchange.frames.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.data).toEqual({ ok: false, error: { code: 'claude_error', message: expect.any(String), request_id: exchange.headers['x-request-id'] } });
    expect(exchange.frames.filter((frame) => frame.event === 'result')).toHaveLength(0);
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'error', error_code: 'claude_error' });
  });

  it('sends a comment line while nothing happens', async () => {
    const exchange = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[sleep:600]][[text:late]]' });
    expect(exchange.comments).toBeGreaterThanOrEqual(2);
    expect(exchange.frames.at(-1)!.event).toBe('result');
  });

  it('refuses before the stream with ordinary JSON errors and their status', async () => {
    const wrong = await postForEvents(ctx.server.url, '/run', 'cf_wrong', { prompt: 'x' });
    expect({ status: wrong.status, type: wrong.headers['content-type'], code: JSON.parse(wrong.text).error.code }).toEqual({
      status: 401,
      type: 'application/json; charset=utf-8',
      code: 'unauthorized',
    });
    const invalid = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '' });
    expect({ status: invalid.status, code: JSON.parse(invalid.text).error.code }).toEqual({ status: 400, code: 'invalid_request' });
    const sonnetOnly = await mintTokenWith(ctx.server.url, { name: 'sonnet-only', models: ['sonnet'] });
    const denied = await postForEvents(ctx.server.url, '/run', sonnetOnly, { prompt: 'x', model: 'opus' });
    expect({ status: denied.status, code: JSON.parse(denied.text).error.code }).toEqual({ status: 403, code: 'model_not_allowed' });
    // One running, one waiting: the next is refused as queue_full before anything is streamed.
    const running = api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: '[[sleep:1500]]' } });
    await waitFor(() => ctx.server.services.runQueue.runningCount === 1);
    const waiting = postForEvents(ctx.server.url, '/run', ctx.token, { prompt: '[[text:waited]]' });
    await waitFor(() => ctx.server.services.runQueue.queuedCount === 1);
    const full = await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: 'x' });
    expect({ status: full.status, code: JSON.parse(full.text).error.code }).toEqual({ status: 429, code: 'queue_full' });
    const queued = await waiting;
    expect(queued.frames[0]).toMatchObject({ event: 'queued', data: { position: 0 } });
    expect(queued.frames.at(-1)).toMatchObject({ event: 'result', data: { result: 'waited' } });
    await running;
  });

  it('is cancelled when the client goes away: the CLI is killed, the directory removed, the row says cancelled', async () => {
    const pids = join(scratch.path, 'gone');
    await postForEvents(ctx.server.url, '/run', ctx.token, { prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]` }, {
      onFrame: (frame, req) => {
        if (frame.event === 'started') req.destroy();
      },
    });
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
    expect(await waitFor(() => readAuditRows(ctx.server.dataDir).at(-1)?.status === 'cancelled', 5_000)).toBe(true);
    expect(await waitFor(() => readdirSync(join(ctx.server.dataDir, 'runs')).length === 0, 5_000)).toBe(true);
  });
});
