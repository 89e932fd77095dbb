// GET /admin/audit: every admin change, who made it, before and after, never a secret.
import { DEFAULT_TOKEN_POLICY } from '@clawdforge/shared';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, api, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

const admin = (method: string, path: string, body?: unknown) =>
  api(server.url, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }), headers: { 'x-request-id': `req-${method}-${path.length}` } });

describe('the admin action log', () => {
  it('records a mint and a revoke with actor, before and after, never the token', async () => {
    const minted = await admin('POST', '/admin/tokens', { name: 'logged-app', ip_cidrs: ['10.0.0.0/8'] });
    await api(server.url, 'POST', '/admin/tokens', { token: ADMIN_TOKEN, body: { name: 'logged-app' } }); // 409: not an action
    await admin('DELETE', '/admin/tokens/logged-app');
    await admin('DELETE', '/admin/tokens/logged-app'); // 404: not an action

    const { body, status } = await admin('GET', '/admin/audit');
    expect(status).toBe(200);
    expect(body.actions).toEqual([
      {
        id: expect.any(Number), at: expect.any(String), actor: '127.0.0.1', action: 'token.revoke', target: 'logged-app',
        before: {
          name: 'logged-app', ip_cidrs: ['10.0.0.0/8'], created_at: minted.body.created_at, last_used_at: null,
          ...DEFAULT_TOKEN_POLICY, previous_token_expires_at: null,
        },
        after: null, request_id: 'req-DELETE-24',
      },
      {
        id: expect.any(Number), at: minted.body.created_at, actor: '127.0.0.1', action: 'token.create', target: 'logged-app',
        before: null, after: { name: 'logged-app', ip_cidrs: ['10.0.0.0/8'], created_at: minted.body.created_at, ...DEFAULT_TOKEN_POLICY },
        request_id: 'req-POST-13',
      },
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain(minted.body.token);
    expect(text).not.toContain(createHash('sha256').update(minted.body.token).digest('hex'));
  });

  it('records the operator CLI as the actor', () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), cli, 'tokens', 'create', 'from-cli'], {
      env: { PATH: process.env.PATH ?? '', HOME: server.dataDir, DATA_DIR: server.dataDir },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    return admin('GET', '/admin/audit?limit=1').then((response) => {
      expect(response.body.actions[0]).toMatchObject({ actor: 'cli', action: 'token.create', target: 'from-cli', request_id: null });
    });
  });

  it('pages newest first', async () => {
    for (const name of ['p1', 'p2', 'p3']) await admin('POST', '/admin/tokens', { name });
    const first = await admin('GET', '/admin/audit?limit=2');
    const second = await admin('GET', `/admin/audit?limit=2&cursor=${first.body.next_cursor}`);
    const ids = [...first.body.actions, ...second.body.actions].map((action: { id: number }) => action.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);
    expect(first.body.actions.map((a: { target: string }) => a.target)).toEqual(['p3', 'p2']);
  });
});
