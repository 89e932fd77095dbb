// Attachments with awkward names reach the model, proven with the real CLI:
// it ends an `@name` mention at whitespace and trims trailing characters that
// are not ASCII letters, digits or `_`, so names like "notes-" or "résumé"
// would be silently dropped if used as they are.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAnthropic, type MockAnthropic } from './support/mock-anthropic.js';
import { realClaudeBin } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { api, mintToken, startTestServer, type TestServer } from './support/test-server.js';
import { uploadFile } from './support/upload.js';

const AWKWARD_NAMES = [
  'résumé.txt',
  'notes-',
  'report.',
  'my notes.txt',
  '日本語のメモ.md',
  '@at-sign.txt',
  'x..',
  "it's (final) v2!.txt",
  'UPPER.TXT',
  'no-extension',
  'ünïcödé',
  '.hidden',
];

describe('attachments with awkward names, through the real CLI', () => {
  const temp = makeTempDir('clawdforge-attach-');
  let mock: MockAnthropic;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    mock = await startMockAnthropic();
    mock.reply = () => ({ kind: 'text', text: 'ok' });
    const home = join(temp.path, 'home');
    mkdirSync(home);
    server = await startTestServer({ CLAUDE_BIN: realClaudeBin(), HOME: home, ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.url });
    token = await mintToken(server.url, 'app');
  });
  afterAll(async () => {
    await server.dispose();
    await mock.close();
    temp.remove();
  });

  it('puts the content of each into the request and tells the model its uploaded name', async () => {
    const uploads = [];
    for (const [index, name] of AWKWARD_NAMES.entries()) {
      const content = `CONTENT-MARKER-${index}-of-${name}`;
      const uploaded = await uploadFile(server.url, token, content, { filename: name, contentType: 'application/octet-stream' });
      expect(uploaded.body.name).toBe(name);
      uploads.push({ name, content, fileToken: uploaded.body.file_token as string });
    }
    const before = mock.messageRequests().length;
    const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'Summarize the attachments.', files: uploads.map((upload) => upload.fileToken) } });
    expect(response.status).toBe(200);
    const sent = JSON.stringify(mock.messageRequests().slice(before));
    const missing = uploads.filter((upload) => !sent.includes(JSON.stringify(upload.content).slice(1, -1)));
    expect(missing.map((upload) => upload.name)).toEqual([]);
    for (const upload of uploads) {
      const told = `(uploaded as ${JSON.stringify(upload.name).replace('"@', '"\u2060@')})`;
      expect(sent).toContain(JSON.stringify(told).slice(1, -1));
    }
  }, 60_000);
});
