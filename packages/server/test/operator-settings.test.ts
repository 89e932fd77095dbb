// Runs use --restricted, so the CLI ignores the login's own settings.json (an
// apiKeyHelper, an env block with a proxy...). CLAUDE_SETTINGS_FILE is the
// supported way to give runs such settings; the service warns at start when
// the login has a settings file that runs now ignore. Real CLI, mock API.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { startMockAnthropic, type MockAnthropic } from './support/mock-anthropic.js';
import { realClaudeBin } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { api, mintToken, startTestServer } from './support/test-server.js';

describe('CLI settings for runs', () => {
  const temp = makeTempDir('clawdforge-settings-');
  let mock: MockAnthropic;
  let home: string;
  let settings: string;
  beforeAll(async () => {
    mock = await startMockAnthropic();
    mock.reply = () => ({ kind: 'text', text: 'answered' });
    // No ANTHROPIC_API_KEY in the environment: the key comes from the operator's helper only.
    const helper = join(temp.path, 'key-helper.sh');
    writeFileSync(helper, '#!/bin/sh\necho sk-ant-from-the-helper\n');
    chmodSync(helper, 0o755);
    settings = JSON.stringify({ apiKeyHelper: helper, env: { ANTHROPIC_BASE_URL: mock.url } });
    home = join(temp.path, 'home');
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.claude', 'settings.json'), settings);
    writeFileSync(join(temp.path, 'operator-settings.json'), settings);
  });
  afterAll(async () => {
    await mock.close();
    temp.remove();
  });

  it("ignores the login's settings.json in runs, and says so at start", async () => {
    const lines: Array<{ msg: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const server = await startTestServer({ CLAUDE_BIN: realClaudeBin(), HOME: home }, { logger });
    try {
      expect(lines).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/settings\.json is ignored by runs.*CLAUDE_SETTINGS_FILE/) }));
      const token = await mintToken(server.url, 'app');
      const before = mock.messageRequests().length;
      expectError(await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi', timeout_secs: 60 } }), 'claude_not_authenticated');
      expect(mock.messageRequests().length).toBe(before);
    } finally {
      await server.dispose();
    }
  }, 60_000);

  it('applies CLAUDE_SETTINGS_FILE to every run: its apiKeyHelper and env reach the CLI', async () => {
    const lines: Array<{ msg: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const server = await startTestServer({ CLAUDE_BIN: realClaudeBin(), HOME: home, CLAUDE_SETTINGS_FILE: join(temp.path, 'operator-settings.json') }, { logger });
    try {
      expect(lines.filter((line) => line.msg.includes('settings.json'))).toEqual([]);
      const token = await mintToken(server.url, 'app');
      const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi', timeout_secs: 60 } });
      expect(response.status).toBe(200);
      expect(response.body.result).toBe('answered');
    } finally {
      await server.dispose();
    }
  }, 60_000);
});
