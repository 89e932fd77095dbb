// GET /metrics, parsed as Prometheus text, moving with real runs and uploads.
import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, mintToken, startTestServer, type TestServer } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, METRICS_TOKEN });
  token = await mintToken(server.url, 'cauldron');
});
afterAll(() => server.dispose());

type Family = ReturnType<typeof parsePrometheus>[number];

type Scrape = Map<string, Family> & { text: string };

async function scrape(): Promise<Scrape> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return Object.assign(new Map(parsePrometheus(text).map((family) => [family.name, family])), { text });
}

/**
 * A histogram's observation count, from its `_count` line: parse-prometheus-text-format
 * 1.1.1 drops the labels and counts of histogram samples.
 */
function histogramCount(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of scraped.text.split('\n')) {
    const match = new RegExp(`^${name}_count(?:\\{(.*)\\})? (\\S+)$`).exec(line);
    const present = (match?.[1] ?? '').split(',').filter(Boolean);
    if (match && wanted.every((pair) => present.includes(pair))) return Number(match[2]);
  }
  return 0;
}

/** The value of the counter or gauge sample whose labels include `labels` (0 when there is none yet). */
function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const sample = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? sample?.count ?? 0);
}

describe('GET /metrics', () => {
  it('needs METRICS_TOKEN when it is set', async () => {
    expectError(await api(server.url, 'GET', '/metrics'), 'unauthorized');
    expectError(await api(server.url, 'GET', '/metrics', { token: 'wrong-token-0123456789' }), 'unauthorized');
  });

  it('exposes the process metrics, the queue gauges and the login state', async () => {
    const families = await scrape();
    expect(families.has('clawdforge_process_cpu_user_seconds_total')).toBe(true);
    expect(families.has('clawdforge_nodejs_heap_size_used_bytes')).toBe(true);
    expect(valueOf(families, 'clawdforge_runs_in_flight')).toBe(0);
    expect(valueOf(families, 'clawdforge_runs_queued')).toBe(0);
    expect(valueOf(families, 'clawdforge_claude_logged_in')).toBe(1);
  });

  it('counts runs by app, model and status, with durations and queue waits', async () => {
    const before = await scrape();
    await api(server.url, 'POST', '/run', { token, body: { prompt: 'a', model: 'sonnet' } });
    await api(server.url, 'POST', '/run', { token, body: { prompt: 'b', model: 'sonnet' } });
    await api(server.url, 'POST', '/run', { token, body: { prompt: '[[exit:1]]', model: 'opus' } });
    await api(server.url, 'POST', '/run', { token, body: { prompt: 'c', model: 'made-up-model-7' } });
    const after = await scrape();
    const runs = (labels: Record<string, string>) =>
      valueOf(after, 'clawdforge_runs_total', labels) - valueOf(before, 'clawdforge_runs_total', labels);
    expect(runs({ app: 'cauldron', model: 'sonnet', status: 'ok' })).toBe(2);
    expect(runs({ app: 'cauldron', model: 'opus', status: 'error' })).toBe(1);
    expect(runs({ app: 'cauldron', model: 'other', status: 'ok' })).toBe(1); // caller-chosen names are bounded
    const observed = (name: string, labels = {}) => histogramCount(after, name, labels) - histogramCount(before, name, labels);
    expect(observed('clawdforge_run_duration_seconds', { status: 'ok' })).toBe(3);
    expect(observed('clawdforge_run_duration_seconds', { status: 'error' })).toBe(1);
    expect(observed('clawdforge_run_queue_wait_seconds')).toBe(4);
    const count = (name: string, labels = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(count('clawdforge_http_requests_total', { route: '/run', method: 'POST', status: '200' })).toBe(3);
    expect(count('clawdforge_http_requests_total', { route: '/run', method: 'POST', status: '502' })).toBe(1);
  });

  it('counts uploaded bytes and labels requests by route template', async () => {
    const before = await scrape();
    const stored = (await uploadFile(server.url, token, 'x'.repeat(1234))).body;
    await api(server.url, 'GET', `/files/${stored.file_token}`, { token });
    const after = await scrape();
    expect(valueOf(after, 'clawdforge_upload_bytes_total') - valueOf(before, 'clawdforge_upload_bytes_total')).toBe(1234);
    const fileGets = (families: Map<string, Family>) =>
      valueOf(families, 'clawdforge_http_requests_total', { route: '/files/{file_token}', method: 'GET', status: '200' });
    expect(fileGets(after) - fileGets(before)).toBe(1);
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(text).not.toContain(stored.file_token);
  });

  it('gauges the live sessions, and labels their routes by template', async () => {
    const before = await scrape();
    const { session_id: id } = (await api(server.url, 'POST', '/sessions', { token, body: {} })).body;
    await api(server.url, 'POST', `/sessions/${id}/turns`, { token, body: { prompt: '[[text:hi]]' } });
    const during = await scrape();
    expect(valueOf(during, 'clawdforge_sessions_live') - valueOf(before, 'clawdforge_sessions_live')).toBe(1);
    const turns = (families: Map<string, Family>) =>
      valueOf(families, 'clawdforge_http_requests_total', { route: '/sessions/{session_id}/turns', method: 'POST', status: '200' });
    expect(turns(during) - turns(before)).toBe(1);
    expect(during.text).not.toContain(id);
    await api(server.url, 'DELETE', `/sessions/${id}`, { token });
    expect(valueOf(await scrape(), 'clawdforge_sessions_live')).toBe(valueOf(before, 'clawdforge_sessions_live'));
  });
});
