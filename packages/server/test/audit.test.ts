import { describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { pruneAuditLog } from '../src/admin/audit-retention.js';
import { insertRun } from '../src/runs/runs.repository.js';
import { readAuditRows } from './support/audit.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, mintToken, startTestServer, useServerWithApp } from './support/test-server.js';

describe('the audit log', () => {
  const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE }, { app: 'cauldron' });

  it('records a successful run with its figures', async () => {
    const { server, token } = ctx;
    const response = await api(server.url, 'POST', '/run', {
      token,
      body: { prompt: 'parse this [[text:{"ok": 1}]]', system: 'be terse', model: 'opus' },
    });
    const row = readAuditRows(server.dataDir).find((r) => r.id === response.body.run_id);
    expect(row).toMatchObject({
      app: 'cauldron',
      model: 'opus',
      prompt: 'parse this [[text:{"ok": 1}]]',
      prompt_chars: 29,
      system_chars: 8,
      file_count: 0,
      response_chars: 9,
      status: 'ok',
      error_code: null,
      exit_code: 0,
      stop_reason: 'end_turn',
      session_id: 'fake-session-0001',
      input_tokens: 11,
      output_tokens: 7,
      cost_usd: 0.0042,
    });
    expect(row!.duration_ms).toBeGreaterThan(0);
    expect(row!.queue_wait_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(row!.created_at)).not.toBeNaN();
  });

  it('records a failed run with its code and exit status', async () => {
    const { server, token } = ctx;
    await api(server.url, 'POST', '/run', { token, body: { prompt: '[[exit:7]]' } });
    expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ status: 'error', error_code: 'claude_error', exit_code: 7 });
  });
});

describe('AUDIT_PROMPTS=off', () => {
  it('stores the prompt length only', async () => {
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, AUDIT_PROMPTS: 'off' });
    try {
      const token = await mintToken(server.url, 'private');
      await api(server.url, 'POST', '/run', { token, body: { prompt: 'my secret recipe' } });
      expect(readAuditRows(server.dataDir).at(-1)).toMatchObject({ prompt: null, prompt_chars: 16, status: 'ok' });
    } finally {
      await server.dispose();
    }
  });
});

describe('retention', () => {
  it('deletes rows older than AUDIT_RETENTION_DAYS, in batches, and keeps the rest', async () => {
    const server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
    try {
      const day = 24 * 60 * 60 * 1000;
      const now = Date.parse('2026-06-01T00:00:00Z');
      const clock: Clock = { now: () => new Date(now) };
      const base = {
        app: 'a', model: 'sonnet', prompt: null, prompt_chars: 1, system_chars: 0, file_count: 0, response_chars: null,
        status: 'ok', error_code: null, exit_code: 0, stop_reason: null, session_id: null, input_tokens: null,
        output_tokens: null, cost_usd: null, queue_wait_ms: 0, duration_ms: 1,
      };
      for (let i = 0; i < 1200; i++) {
        await insertRun(server.services.db, { ...base, id: `old-${i}`, created_at: new Date(now - 91 * day - i).toISOString() });
      }
      await insertRun(server.services.db, { ...base, id: 'recent', created_at: new Date(now - 89 * day).toISOString() });
      expect(await pruneAuditLog(server.services.db, clock, 90)).toBe(1200);
      expect(readAuditRows(server.dataDir).map((row) => row.id)).toEqual(['recent']);
    } finally {
      await server.dispose();
    }
  });
});
