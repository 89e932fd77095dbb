// POST /runs: runs that outlive their request, their status, their stored and
// live events (resumable), cancellation, and what a restart leaves of them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runEventSchema } from '@clawdforge/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { countAsyncRuns, readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, isAlive, readPid, waitFor } from './support/processes.js';
import { startServerProcess } from './support/server-process.js';
import { getEvents } from './support/sse.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, mintToken, mintTokenWith, useServerWithApp } from './support/test-server.js';

const scratch = makeTempDir('clawdforge-async-');
afterAll(() => scratch.remove());

describe('async runs', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '1', MAX_QUEUED_RUNS: '1' });
  const start = (body: unknown, token = ctx.token) => api(ctx.server.url, 'POST', '/runs', { token, body });
  const status = (runId: string, token = ctx.token) => api(ctx.server.url, 'GET', `/runs/${runId}`, { token });
  const untilDone = (runId: string) => waitFor(async () => ((await status(runId)).body.finished_at ? (await status(runId)).body : undefined), 10_000);

  it('answers 202 once queued, then the status, the result and every event; one audit row', async () => {
    const accepted = await start({ prompt: '[[text:one two]]' });
    expect(accepted.status).toBe(202);
    const runId = accepted.body.run_id as string;
    expect(accepted.body).toEqual({ run_id: runId, status: 'queued', status_url: `/runs/${runId}`, events_url: `/runs/${runId}/events` });
    const done = await untilDone(runId);
    expect(done).toMatchObject({ run_id: runId, status: 'ok', error: null, result: { ok: true, result: 'one two', run_id: runId } });
    const events = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token);
    expect(events.status).toBe(200);
    const parsed = events.frames.map((frame) => runEventSchema.parse({ seq: Number(frame.id), type: frame.event, data: frame.data }));
    expect(parsed.map((event) => event.type)).toEqual(['queued', 'started', 'text', 'text', 'result']);
    expect(parsed.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.at(-1)!.data).toEqual(done!.result);
    expect(readAuditRows(ctx.server.dataDir).filter((row) => row.id === runId)).toHaveLength(1);
  });

  it('refuses at once what POST /run refuses, and keeps nothing of it', async () => {
    const kept = countAsyncRuns(ctx.server.dataDir);
    expectError(await start({ prompt: 'x' }, 'cf_wrong'), 'unauthorized');
    expectError(await start({ prompt: '' }), 'invalid_request');
    const sonnetOnly = await mintTokenWith(ctx.server.url, { name: 'async-sonnet-only', models: ['sonnet'] });
    expectError(await start({ prompt: 'x', model: 'opus' }, sonnetOnly), 'model_not_allowed');
    expect(countAsyncRuns(ctx.server.dataDir)).toBe(kept);
    const running = await start({ prompt: '[[sleep:1200]]' });
    await waitFor(async () => (await status(running.body.run_id)).body.status === 'running');
    const waiting = await start({ prompt: '[[text:second]]' });
    expect(waiting.status).toBe(202);
    expectError(await start({ prompt: 'x' }), 'queue_full');
    expect(countAsyncRuns(ctx.server.dataDir)).toBe(kept + 2);
    expect((await untilDone(waiting.body.run_id))!.status).toBe('ok');
  });

  it("shows a run to its own app only: another app's token gets 404 for the status, the events and a cancel", async () => {
    const accepted = await start({ prompt: '[[text:mine]]' });
    await untilDone(accepted.body.run_id);
    const stranger = await mintToken(ctx.server.url, 'async-stranger');
    expectError(await status(accepted.body.run_id, stranger), 'not_found');
    expectError(await api(ctx.server.url, 'DELETE', `/runs/${accepted.body.run_id}`, { token: stranger }), 'not_found');
    const events = await getEvents(ctx.server.url, `/runs/${accepted.body.run_id}/events`, stranger);
    expect({ status: events.status, code: JSON.parse(events.text).error.code }).toEqual({ status: 404, code: 'not_found' });
    expectError(await status('run_doesnotexist', ctx.token), 'not_found');
  });

  it('goes on when a reader goes away, and a reader resuming with Last-Event-ID misses nothing and repeats nothing', async () => {
    const accepted = await start({ prompt: '[[text:a b c d e]][[delta_ms:150]]' });
    const runId = accepted.body.run_id as string;
    const first = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token, {
      onFrame: (frame, req) => {
        if (frame.id === '4') req.destroy();
      },
    });
    expect(first.frames.map((frame) => frame.id)).toEqual(['1', '2', '3', '4']);
    const rest = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token, { lastEventId: '4' });
    const whole = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token);
    const joined = [...first.frames, ...rest.frames].map((frame) => `${frame.id}:${frame.event}:${JSON.stringify(frame.data)}`);
    expect(joined).toEqual(whole.frames.map((frame) => `${frame.id}:${frame.event}:${JSON.stringify(frame.data)}`));
    expect(whole.frames.at(-1)!.event).toBe('result');
    expect((await status(runId)).body.status).toBe('ok');
    const invalid = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token, { lastEventId: 'x' });
    expect(invalid.status).toBe(400);
  });

  it('is cancelled by DELETE: its process group killed, its last event the error, its row cancelled', async () => {
    const pids = join(scratch.path, 'cancelled');
    const accepted = await start({ prompt: `[[pidfile:${pids}]][[grandchild]][[sleep:60000]]` });
    const runId = accepted.body.run_id as string;
    const [cli, grandchild] = [await readPid(pids), await readPid(`${pids}.child`)];
    const cancelled = await api(ctx.server.url, 'DELETE', `/runs/${runId}`, { token: ctx.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', error: { ok: false, error: { code: 'run_cancelled' } } });
    expect(await waitFor(() => !isAlive(cli) && !isAlive(grandchild), 5_000)).toBe(true);
    const events = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token);
    expect(events.frames.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'run_cancelled' } } });
    expect(readAuditRows(ctx.server.dataDir).find((row) => row.id === runId)).toMatchObject({ status: 'cancelled', error_code: 'run_cancelled' });
    expect(readdirSync(join(ctx.server.dataDir, 'runs'))).toEqual([]);
    // A finished run stays as it ended.
    expect((await api(ctx.server.url, 'DELETE', `/runs/${runId}`, { token: ctx.token })).body.status).toBe('cancelled');
  });

  it('belongs to the token, not the name: revoking stops it, and a new token of the same name cannot see it', async () => {
    const first = await mintToken(ctx.server.url, 'reborn');
    const accepted = await start({ prompt: '[[sleep:30000]]' }, first);
    const runId = accepted.body.run_id as string;
    await waitFor(async () => (await status(runId, first)).body.status === 'running');
    expect((await api(ctx.server.url, 'DELETE', '/admin/tokens/reborn', { token: ADMIN_TOKEN })).status).toBe(200);
    expect(await waitFor(() => readAuditRows(ctx.server.dataDir).find((row) => row.id === runId)?.status === 'cancelled', 5_000)).toBe(true);
    const second = await mintToken(ctx.server.url, 'reborn');
    expectError(await status(runId, second), 'not_found');
    const events = await getEvents(ctx.server.url, `/runs/${runId}/events`, second);
    expect(events.status).toBe(404);
  });

  it('ends a stream whose Last-Event-ID is past the end when the run ends, instead of hanging', async () => {
    const accepted = await start({ prompt: '[[sleep:400]][[text:late]]' });
    const events = await getEvents(ctx.server.url, `/runs/${accepted.body.run_id}/events`, ctx.token, { lastEventId: '999' });
    expect(events.status).toBe(200);
    expect(events.frames).toEqual([]);
    expect((await status(accepted.body.run_id)).body.status).toBe('ok');
  });

  it('lets one app hold at most 8 event streams at once', async () => {
    const accepted = await start({ prompt: '[[sleep:30000]]' });
    const runId = accepted.body.run_id as string;
    const readers = Array.from({ length: 8 }, () => getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token));
    await waitFor(async () => (await (await fetch(`${ctx.server.url}/metrics`)).text()).includes('clawdforge_event_streams_open 8'));
    const ninth = await getEvents(ctx.server.url, `/runs/${runId}/events`, ctx.token);
    expect({ status: ninth.status, code: JSON.parse(ninth.text).error.code }).toEqual({ status: 503, code: 'server_busy' });
    await api(ctx.server.url, 'DELETE', `/runs/${runId}`, { token: ctx.token });
    for (const reader of await Promise.all(readers)) expect(reader.frames.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'run_cancelled' } } });
    await waitFor(async () => (await (await fetch(`${ctx.server.url}/metrics`)).text()).includes('clawdforge_event_streams_open 0'));
  });

  it('is pruned with its events once older than the retention', async () => {
    const accepted = await start({ prompt: '[[text:old]]' });
    await untilDone(accepted.body.run_id);
    expect(await ctx.server.services.asyncRuns.prune(0)).toBeGreaterThanOrEqual(1);
    expectError(await status(accepted.body.run_id), 'not_found');
  });
});

describe('a restart', () => {
  it('ends the async runs the previous process left going as interrupted: status, last event and audit row', async () => {
    const dataDir = join(scratch.path, 'restart');
    const env = { DATA_DIR: dataDir, ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE };
    const first = await startServerProcess(env, scratch.path);
    const token = await mintToken(first.url, 'restarted');
    const pids = join(scratch.path, 'interrupted');
    const accepted = await api(first.url, 'POST', '/runs', { token, body: { prompt: `[[pidfile:${pids}]][[sleep:60000]]` } });
    const runId = accepted.body.run_id as string;
    const cli = await readPid(pids);
    await waitFor(async () => (await api(first.url, 'GET', `/runs/${runId}`, { token })).body.status === 'running');
    await first.stop('SIGKILL');
    expect(await waitFor(() => !isAlive(cli), 5_000)).toBe(true); // the spawn helper ended it
    const second = await startServerProcess(env, scratch.path);
    try {
      const after = await api(second.url, 'GET', `/runs/${runId}`, { token });
      expect(after.body).toMatchObject({ status: 'error', finished_at: expect.any(String), error: { ok: false, error: { code: 'interrupted' } } });
      const events = await getEvents(second.url, `/runs/${runId}/events`, token);
      expect(events.frames.map((frame) => frame.event)).toEqual(['queued', 'started', 'error']);
      expect(events.frames.at(-1)!.data.error.code).toBe('interrupted');
      expect(readAuditRows(dataDir).find((row) => row.id === runId)).toMatchObject({ status: 'error', error_code: 'interrupted', app: 'restarted' });
    } finally {
      await second.stop();
    }
  });
});
