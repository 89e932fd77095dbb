// The exact environment a run's process gets (README, "Security"): an
// allowlist. The service's tokens and settings, NODE_OPTIONS and anything
// else it was started with never reach a process that an app's prompt drives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, mintToken, startTestServer, type TestServer } from './support/test-server.js';

describe("a run's environment", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({
      CLAUDE_BIN: FAKE_CLAUDE,
      METRICS_TOKEN: 'metrics-secret-0123456789',
      ALLOW_CIDRS: '10.0.0.0/8',
      CLAUDECODE: '1',
      NODE_OPTIONS: '--max-old-space-size=64',
      DATABASE_URL: 'postgres://user:pass@db/other-service',
      AWS_SECRET_ACCESS_KEY: 'not-for-the-cli',
      AWS_REGION: 'eu-central-1',
      CLAUDE_ENV_PASSTHROUGH: 'AWS_REGION',
      ANTHROPIC_API_KEY: 'sk-ant-for-the-cli',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_OAUTH_TOKEN: 'oauth-for-the-cli',
      CLAUDE_CONFIG_DIR: '/nonexistent/claude-config',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'Europe/Berlin',
      HTTPS_PROXY: 'http://proxy.lan:3128',
      NO_PROXY: 'localhost',
    });
    token = await mintToken(server.url, 'app');
  });
  afterAll(() => server.dispose());

  it('is exactly the documented allowlist, with the service-set variables', async () => {
    const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi' } });
    expect(response.status).toBe(200);
    expect(response.body.result.env_keys).toEqual(
      [
        // from the service's environment, by name or prefix
        'HOME', 'PATH', 'LANG', 'LC_ALL', 'TZ', 'HTTPS_PROXY', 'NO_PROXY', 'CLAUDE_CONFIG_DIR',
        'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'CLAUDE_CODE_OAUTH_TOKEN',
        // named by CLAUDE_ENV_PASSTHROUGH
        'AWS_REGION',
        // set by the service
        'DISABLE_AUTOUPDATER', 'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', 'CLAUDE_CODE_MAX_RETRIES',
      ].sort(),
    );
    expect(response.body.result.env).toMatchObject({ ADMIN_BOOTSTRAP_TOKEN: null, CLAUDECODE: null, CLAUDE_CODE_MAX_RETRIES: '2' });
  });
});
