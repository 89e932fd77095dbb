// The dashboard's server side, over real HTTP: its session (cookie flags,
// CSRF token, same-origin changes, logout, a new admin token ending it), the
// page's headers (CSP, framing), the live view of runs, and exact costs.
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRun, type AuditRow } from '../src/runs/runs.repository.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

const temp = makeTempDir('clawdforge-dashboard-');
afterAll(() => temp.remove());

/** A built dashboard of two files, enough to check how they are served. */
function fakeBuild(): string {
  const dir = join(temp.path, 'ui');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/admin/ui/assets/app-1.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log("dashboard")');
  return dir;
}

async function signIn(server: TestServer, token = ADMIN_TOKEN, origin?: string) {
  const host = new URL(server.url).host;
  const response = await api(server.url, 'POST', '/admin/session', { body: { token }, headers: { origin: origin ?? `http://${host}` } });
  const cookie = response.headers.get('set-cookie') ?? '';
  return { response, cookie, session: cookie.split(';')[0]!, csrf: response.body.csrf_token as string, origin: `http://${host}` };
}

describe('the dashboard session', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { dataDir: join(temp.path, 'data'), adminUiDir: fakeBuild() });
  });
  afterAll(() => server.dispose());

  it('exchanges the admin token for an HttpOnly, SameSite=Strict cookie on /admin, and refuses a wrong one', async () => {
    expectError((await signIn(server, 'wrong-token-0123456789')).response, 'unauthorized');
    const { response, cookie } = await signIn(server);
    expect(response.status).toBe(201);
    expect(cookie).toMatch(/^cf_admin=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/admin; Max-Age=28800$/);
    expect(response.body).toEqual({ csrf_token: expect.stringMatching(/^[0-9a-f]{64}$/), expires_at: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toContain(ADMIN_TOKEN);
  });

  it('stores only a hash of the session secret', async () => {
    const { session } = await signIn(server);
    const secret = session.split('=')[1]!;
    const rows = server.services.db.selectFrom('admin_sessions').selectAll().execute();
    expect(JSON.stringify(await rows)).not.toContain(secret);
  });

  it('reads with the cookie alone, and changes only with the CSRF token from the same origin', async () => {
    const { session, csrf, origin } = await signIn(server);
    expect((await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: session } })).status).toBe(200);
    expect((await api(server.url, 'GET', '/admin/session', { headers: { cookie: session } })).body.csrf_token).toBe(csrf);

    const mint = (headers: Record<string, string>) => api(server.url, 'POST', '/admin/tokens', { body: { name: `via-ui-${Object.keys(headers).length}` }, headers: { cookie: session, ...headers } });
    expectError(await mint({ origin }), 'csrf_failed'); // no CSRF token
    expectError(await mint({ origin, 'x-csrf-token': 'f'.repeat(64) }), 'csrf_failed'); // a wrong one
    expectError(await mint({ origin: 'http://evil.example', 'x-csrf-token': csrf }), 'csrf_failed'); // a forged origin
    expectError(await mint({ 'x-csrf-token': csrf }), 'csrf_failed'); // no origin at all
    const made = await mint({ origin, 'x-csrf-token': csrf, 'x-extra': '1' });
    expect(made.status).toBe(201);
    // tRPC's path checks the same way (in tRPC's error shape).
    const viaTrpc = await api(server.url, 'POST', '/trpc/tokens.revoke', { body: { name: made.body.name }, headers: { cookie: session, origin } });
    expect(viaTrpc.status).toBe(403);
    expect(JSON.stringify(viaTrpc.body)).toContain('"csrf_failed"');
  });

  it('answers 401 with neither a bearer token nor a live session, as before', async () => {
    expectError(await api(server.url, 'GET', '/admin/tokens'), 'unauthorized');
    expectError(await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: `cf_admin=${'A'.repeat(43)}` } }), 'unauthorized');
    expectError(await api(server.url, 'GET', '/admin/session'), 'unauthorized');
  });

  it('ends the session at logout: the same cookie gets 401 after', async () => {
    const { session, csrf, origin } = await signIn(server);
    const out = await api(server.url, 'DELETE', '/admin/session', { headers: { cookie: session, origin, 'x-csrf-token': csrf } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expectError(await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: session } }), 'unauthorized');
  });

  it('does not let a page elsewhere log the browser out', async () => {
    const { session } = await signIn(server);
    expectError(await api(server.url, 'DELETE', '/admin/session', { headers: { cookie: session, origin: 'http://evil.example' } }), 'csrf_failed');
    expect((await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: session } })).status).toBe(200);
  });

  it('holds a session to the address that signed in: the cookie is useless from another machine', async () => {
    const { session } = await signIn(server);
    const fromElsewhere = await new Promise<number>((resolve, reject) => {
      // 127.0.0.2 is another peer as the service sees it (loopback is allowed whatever the address).
      request(`${server.url}/admin/tokens`, { localAddress: '127.0.0.2', headers: { cookie: session } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject).end();
    });
    expect(fromElsewhere).toBe(401);
    expect((await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: session } })).status).toBe(200);
  });

  it('tries every session cookie sent, so one planted on a narrower path locks nobody out', async () => {
    const { session } = await signIn(server);
    const planted = `cf_admin=${'B'.repeat(43)}`;
    expect((await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: `${planted}; ${session}` } })).status).toBe(200);
  });

  it('records each sign-in and logout in the admin action log', async () => {
    const { session, csrf, origin } = await signIn(server);
    await api(server.url, 'DELETE', '/admin/session', { headers: { cookie: session, origin, 'x-csrf-token': csrf } });
    const { body } = await api(server.url, 'GET', '/admin/audit', { token: ADMIN_TOKEN });
    expect(body.actions.slice(0, 2).map((action: { action: string; actor: string }) => `${action.action}:${action.actor}`)).toEqual(['session.sign_out:127.0.0.1', 'session.sign_in:127.0.0.1']);
  });

  it('refuses a sign-in posted from another origin', async () => {
    expectError((await signIn(server, ADMIN_TOKEN, 'http://evil.example')).response, 'csrf_failed');
  });

  it('serves the page with a strict Content-Security-Policy, no framing, and its assets', async () => {
    const page = await api<string>(server.url, 'GET', '/admin/ui');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await api<string>(server.url, 'GET', '/admin/ui/assets/app-1.js');
    expect(asset.body).toBe('console.log("dashboard")');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await api(server.url, 'GET', '/admin/ui/assets/nope.js');
    expectError(missing, 'not_found');
    expect(missing.headers.get('content-security-policy')).toBe(csp); // refusals under /admin/ui carry the page headers too
    expectError(await api(server.url, 'GET', '/admin/ui/../../package.json'), 'not_found');
  });
});

describe('a session and the admin token', () => {
  it('ends every session when the service starts with another admin token', async () => {
    const dataDir = join(temp.path, 'rotated');
    const first = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { dataDir });
    const { session } = await signIn(first);
    await first.close();
    const second = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, ADMIN_BOOTSTRAP_TOKEN: 'another-admin-token-0123456789' }, { dataDir });
    try {
      expectError(await api(second.url, 'GET', '/admin/tokens', { headers: { cookie: session } }), 'unauthorized');
    } finally {
      await second.close();
    }
  });
});

/** The first `snapshot` event of /admin/live that satisfies `until`, read with the session cookie. */
function liveSnapshot(server: TestServer, cookie: string, until: (runs: Array<{ app: string; phase: string }>) => boolean): Promise<Array<{ app: string; phase: string }>> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/admin/live`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (frame.includes('event: snapshot') && data) {
            const { runs } = JSON.parse(data) as { runs: Array<{ app: string; phase: string }> };
            if (until(runs)) {
              req.destroy();
              resolve(runs);
            }
          }
        }
      });
    });
    req.on('error', (error) => (error.message.includes('aborted') ? undefined : reject(error)));
    req.end();
  });
}

describe('the live view and the figures', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_CONCURRENT_RUNS: '1' }, { dataDir: join(temp.path, 'live') });
  });
  afterAll(() => server.dispose());

  it('shows the runs running and queued now, as they change', async () => {
    const { session } = await signIn(server);
    const token = await mintToken(server.url, 'live-app');
    const runs = [1, 2].map(() => api(server.url, 'POST', '/run', { token, body: { prompt: '[[sleep:800]] slow' } }));
    const busy = await liveSnapshot(server, session, (now) => now.length === 2);
    expect(busy.map((run) => `${run.app}:${run.phase}`).sort()).toEqual(['live-app:queued', 'live-app:running']);
    await Promise.all(runs);
    await waitFor(() => server.services.runs.live.snapshot().length === 0);
    expect(await liveSnapshot(server, session, (now) => now.length === 0)).toEqual([]);
  });

  it('ends a live view when its session ends', async () => {
    const { session, csrf, origin } = await signIn(server);
    const token = await mintToken(server.url, 'live-after-logout');
    let text = '';
    const closed = new Promise<string>((resolve) => {
      request(`${server.url}/admin/live`, { headers: { cookie: session } }, (res) => {
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('close', () => resolve(text));
      }).end();
    });
    await waitFor(() => text.includes('event: snapshot')); // open, and told the state once
    await api(server.url, 'DELETE', '/admin/session', { headers: { cookie: session, origin, 'x-csrf-token': csrf } });
    await api(server.url, 'POST', '/run', { token, body: { prompt: 'after logout' } }); // a change: the view would send a snapshot, and checks first
    const seen = await closed;
    expect(seen).not.toContain('after-logout');
    expect(seen).not.toContain('live-after-logout');
  });

  it('sums costs exactly: whole micro-dollars, no float noise', async () => {
    const base: AuditRow = {
      id: '', app: 'costly', model: 'sonnet', prompt: null, prompt_chars: 1, system_chars: 0, file_count: 0, response_chars: 1,
      status: 'ok', error_code: null, exit_code: 0, stop_reason: 'end_turn', session_id: null, input_tokens: 1, output_tokens: 1,
      cost_usd: 0, queue_wait_ms: 0, duration_ms: 10, created_at: new Date().toISOString(), request_id: null, turn: null, account: null, failover_from: null,
    };
    // 0.1 + 0.2 + 0.001062 * 3 in floating point is 0.30318600000000004.
    for (const [index, cost] of [0.1, 0.2, 0.001062, 0.001062, 0.001062].entries()) insertRun(server.services.db, { ...base, id: `run_cost${index}`, cost_usd: cost });
    const usage = await api(server.url, 'GET', '/admin/usage?group_by=app', { token: ADMIN_TOKEN });
    expect(usage.body.groups.find((group: { key: string }) => group.key === 'costly').cost_usd).toBe(0.303186);
  });
});
