// POST /files and the /files/{file_token} verbs against the real server, with
// real multipart bodies; nothing a failed upload sends may stay on disk.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../src/tokens/token-secret.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { TestClock } from './support/test-clock.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from './support/test-server.js';
import { multipartBody, rawUpload, uploadFile } from './support/upload.js';

const LIMIT = 64 * 1024;
const clock = new TestClock();
let server: TestServer;
let token: string;
let otherToken: string;
beforeAll(async () => {
  server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_UPLOAD_BYTES: String(LIMIT) }, { clock, fileSweepIntervalMs: 50 });
  token = await mintToken(server.url, 'cauldron');
  otherToken = await mintToken(server.url, 'other-app');
});
afterAll(() => server.dispose());

const filesDir = () => join(server.dataDir, 'files');
const storedFiles = () => readdirSync(filesDir());
const rowCount = async () => (await server.services.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

/** Asserts a refused upload left no file, temp file or row behind. */
async function expectNothingLeft(before: { files: number; rows: number }) {
  await waitFor(() => storedFiles().length === before.files, 2_000);
  expect(storedFiles()).toHaveLength(before.files);
  expect(storedFiles().filter((name) => name.startsWith('.upload-'))).toEqual([]);
  expect(await rowCount()).toBe(before.rows);
}
const snapshot = async () => ({ files: storedFiles().length, rows: await rowCount() });

describe('POST /files', () => {
  it('stores the file and answers its token and metadata', async () => {
    const content = 'two cups of rice\n';
    const response = await uploadFile(server.url, token, content, { filename: 'recipe.txt', ttlSecs: '600' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      file_token: expect.stringMatching(/^ff_[A-Za-z0-9_-]{32}$/),
      name: 'recipe.txt',
      size: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
      content_type: 'text/plain',
      ttl_secs: 600,
      expires_at: new Date(clock.now().getTime() + 600_000).toISOString(),
      created_at: clock.now().toISOString(),
    });
    const stored = storedFiles().filter((name) => readFileSync(join(filesDir(), name), 'utf8') === content);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain('recipe'); // the service names what it stores

    const fetched = await api(server.url, 'GET', `/files/${response.body.file_token}`, { token });
    expect(fetched).toMatchObject({ status: 200, body: response.body });
  });

  it('defaults ttl_secs to 3600 and accepts the field before or after the file', async () => {
    expect((await uploadFile(server.url, token, 'x')).body.ttl_secs).toBe(3600);
    for (const order of ['field-first', 'file-first']) {
      const parts = [
        { kind: 'field' as const, name: 'ttl_secs', value: '120' },
        { kind: 'file' as const, name: 'file', value: 'data', filename: 'a.txt' },
      ];
      const { body, contentType } = multipartBody(order === 'field-first' ? parts : parts.reverse());
      const response = await rawUpload(server.url, { token, body, contentType });
      expect({ order, status: response.status, ttl: response.body.ttl_secs }).toEqual({ order, status: 201, ttl: 120 });
    }
  });

  it.each(['59', '86401', 'abc', '1.5', '-60', '600s', ''.padEnd(70, '9')])('refuses ttl_secs=%j with 400, leaving nothing', async (ttl) => {
    const before = await snapshot();
    const response = await uploadFile(server.url, token, 'x', { ttlSecs: ttl });
    expectError(response, 'invalid_request');
    expect(response.body.error.message).toContain('ttl_secs');
    await expectNothingLeft(before);
  });

  it('accepts the ttl_secs bounds 60 and 86400', async () => {
    expect((await uploadFile(server.url, token, 'x', { ttlSecs: '60' })).status).toBe(201);
    expect((await uploadFile(server.url, token, 'x', { ttlSecs: '86400' })).status).toBe(201);
  });

  it('cuts off a file over MAX_UPLOAD_BYTES with 413 and deletes the partial file', async () => {
    const before = await snapshot();
    const response = await uploadFile(server.url, token, Buffer.alloc(LIMIT + 1, 7));
    expectError(response, 'payload_too_large');
    await expectNothingLeft(before);
  });

  it('accepts a file of exactly MAX_UPLOAD_BYTES', async () => {
    expect((await uploadFile(server.url, token, Buffer.alloc(LIMIT, 7))).body.size).toBe(LIMIT);
  });

  it('answers 413 from Content-Length alone, before reading the body', async () => {
    const before = await snapshot();
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(LIMIT * 4) }]);
    const response = await rawUpload(server.url, { token, body, contentType, headers: { expect: '100-continue' } });
    expectError(response, 'payload_too_large');
    expect(response.sawContinue).toBe(false);
    await expectNothingLeft(before);
  });

  it('refuses a bad token before the body is sent or stored', async () => {
    const before = await snapshot();
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(LIMIT / 2) }]);
    const withContinue = await rawUpload(server.url, { token: 'cf_wrong', body, contentType, headers: { expect: '100-continue' } });
    expectError(withContinue, 'unauthorized');
    expect(withContinue.sawContinue).toBe(false);
    expectError(await rawUpload(server.url, { body, contentType }), 'unauthorized');
    await expectNothingLeft(before);
  });

  it('sends 100 Continue to a valid token and stores the file', async () => {
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: 'continued' }]);
    const response = await rawUpload(server.url, { token, body, contentType, headers: { expect: '100-continue' } });
    expect(response.sawContinue).toBe(true);
    expect(response.status).toBe(201);
  });

  it('answers 415 for a body that is not multipart', async () => {
    expectError(await api(server.url, 'POST', '/files', { token, body: { file: 'x' } }), 'unsupported_media_type');
  });

  it.each([
    ['no file part', [{ kind: 'field', name: 'ttl_secs', value: '600' }], 'file'],
    ['two file parts', [{ kind: 'file', name: 'file', value: 'a' }, { kind: 'file', name: 'file', value: 'b' }], 'one file'],
    ['a file part with another name', [{ kind: 'file', name: 'upload', value: 'a' }], 'upload'],
    ['an unknown field', [{ kind: 'field', name: 'ttl', value: '600' }, { kind: 'file', name: 'file', value: 'a' }], 'ttl'],
  ] as const)('answers 400 for %s, leaving nothing', async (_, parts, mentioned) => {
    const before = await snapshot();
    const { body, contentType } = multipartBody(parts as never);
    const response = await rawUpload(server.url, { token, body, contentType });
    expectError(response, 'invalid_request');
    expect(response.body.error.message).toContain(mentioned);
    await expectNothingLeft(before);
  });

  it('answers 400 for a malformed multipart body', async () => {
    const before = await snapshot();
    const response = await rawUpload(server.url, { token, body: Buffer.from('this is not multipart at all'), contentType: 'multipart/form-data; boundary=xyz' });
    expectError(response, 'invalid_request');
    const noBoundary = await rawUpload(server.url, { token, body: Buffer.from('x'), contentType: 'multipart/form-data' });
    expectError(noBoundary, 'invalid_request');
    await expectNothingLeft(before);
  });

  it('leaves nothing behind when the client vanishes mid-upload', async () => {
    const before = await snapshot();
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(LIMIT / 2, 1) }]);
    const { port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body.subarray(0, body.length / 2));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
    await expectNothingLeft(before);
  });

  it('keeps the uploaded name for display (its last path component), never as a path', async () => {
    const cases: Array<[string, string]> = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\boot.ini', 'boot.ini'],
      ['@/etc/shadow', 'shadow'],
      ['My Recipe (1).jpg', 'My Recipe (1).jpg'],
      ['résumé.pdf', 'résumé.pdf'],
    ];
    for (const [filename, expected] of cases) {
      const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: 'x', filename }]);
      const response = await rawUpload(server.url, { token, body, contentType });
      expect({ filename, name: response.body.name }).toEqual({ filename, name: expected });
    }
    expect(existsSync(join(server.dataDir, 'etc'))).toBe(false);
    expect(storedFiles().every((name) => /^[0-9a-f]{32}$/.test(name))).toBe(true);
  });
});

describe('GET and DELETE /files/{file_token}', () => {
  it("answer 404 to another app, as if the file did not exist", async () => {
    const mine = (await uploadFile(server.url, token, 'private')).body.file_token;
    expectError(await api(server.url, 'GET', `/files/${mine}`, { token: otherToken }), 'file_not_found');
    expectError(await api(server.url, 'DELETE', `/files/${mine}`, { token: otherToken }), 'file_not_found');
    expectError(await api(server.url, 'POST', '/run', { token: otherToken, body: { prompt: 'x', files: [mine] } }), 'file_not_found');
    expect((await api(server.url, 'GET', `/files/${mine}`, { token })).status).toBe(200);
  });

  it('delete the file from disk and database; a second delete is 404', async () => {
    const before = await snapshot();
    const fileToken = (await uploadFile(server.url, token, 'short-lived')).body.file_token;
    expect(await snapshot()).toEqual({ files: before.files + 1, rows: before.rows + 1 });
    expect(await api(server.url, 'DELETE', `/files/${fileToken}`, { token })).toMatchObject({ status: 200, body: { ok: true, file_token: fileToken } });
    await expectNothingLeft(before);
    expectError(await api(server.url, 'DELETE', `/files/${fileToken}`, { token }), 'file_not_found');
    expectError(await api(server.url, 'GET', `/files/${fileToken}`, { token }), 'file_not_found');
  });

  it('need an app token, and refuse a malformed file token', async () => {
    expectError(await api(server.url, 'GET', `/files/ff_${'a'.repeat(32)}`), 'unauthorized');
    expectError(await api(server.url, 'GET', `/files/not-a-token`, { token }), 'invalid_request');
  });
});

describe('expiry', () => {
  it('answers 404 once expired, and the sweep removes file and row', async () => {
    const fileToken = (await uploadFile(server.url, token, 'ephemeral', { ttlSecs: '60' })).body.file_token;
    const row = await server.services.db.selectFrom('files').selectAll().where('token_hash', '=', hashToken(fileToken)).executeTakeFirstOrThrow();
    clock.advance(59_000);
    expect((await api(server.url, 'GET', `/files/${fileToken}`, { token })).status).toBe(200);
    clock.advance(1_000);
    expectError(await api(server.url, 'GET', `/files/${fileToken}`, { token }), 'file_not_found');
    expect(await waitFor(() => !storedFiles().includes(row.stored_name), 2_000)).toBe(true);
    const left = await server.services.db.selectFrom('files').select('token_hash').where('token_hash', '=', row.token_hash).execute();
    expect(left).toEqual([]);
  });
});

describe('revoking an app token', () => {
  it('deletes its files', async () => {
    const doomed = await mintToken(server.url, 'doomed');
    const before = await snapshot();
    await uploadFile(server.url, doomed, 'a');
    await uploadFile(server.url, doomed, 'b');
    await api(server.url, 'DELETE', '/admin/tokens/doomed', { token: ADMIN_TOKEN });
    await expectNothingLeft(before);
  });
});

describe('attaching files to a run', () => {
  it('places each file in the run directory under a name of its own, mentions it with its uploaded name, and removes the copies afterwards', async () => {
    const first = (await uploadFile(server.url, token, 'first', { filename: 'a.txt' })).body.file_token;
    const second = (await uploadFile(server.url, token, 'second', { filename: 'a.txt' })).body.file_token;
    const third = (await uploadFile(server.url, token, 'third', { filename: '@odd name-' })).body.file_token;
    const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'compare them', files: [first, second, third] } });
    expect(response.status).toBe(200);
    expect(response.body.result.cwd_files.sort()).toEqual(['file-1.txt', 'file-2.txt', 'file-3.txt']);
    expect(response.body.result.prompt).toBe(
      'compare them\n\nAttached files:\n@file-1.txt (uploaded as "a.txt")\n@file-2.txt (uploaded as "a.txt")\n@file-3.txt (uploaded as "\u2060@odd name-")',
    );
    expect(readdirSync(join(server.dataDir, 'runs'))).toEqual([]);
    // the upload itself is still there for the next run
    expect((await api(server.url, 'POST', '/run', { token, body: { prompt: 'again', files: [first] } })).status).toBe(200);
  });

  it('runs nothing when one token is not live, and names it', async () => {
    const live = (await uploadFile(server.url, token, 'ok')).body.file_token;
    const dead = `ff_${'z'.repeat(32)}`;
    const response = await api(server.url, 'POST', '/run', { token, body: { prompt: 'x', files: [live, dead] } });
    expectError(response, 'file_not_found');
    expect(response.body.error.message).toContain(dead);
  });
});

describe('start-up', () => {
  it('removes temp files of interrupted uploads and files no row points at', async () => {
    const dataDir = join(server.dataDir, 'second-instance');
    const first = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { dataDir });
    const appToken = await mintToken(first.url, 'app');
    const kept = (await uploadFile(first.url, appToken, 'kept')).body.file_token;
    await first.close();
    writeFileSync(join(dataDir, 'files', '.upload-0123456789abcdef'), 'half an upload');
    writeFileSync(join(dataDir, 'files', 'deadbeefdeadbeefdeadbeefdeadbeef'), 'no row');
    const second = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { dataDir });
    try {
      expect(readdirSync(join(dataDir, 'files'))).toHaveLength(1);
      expect((await api(second.url, 'GET', `/files/${kept}`, { token: appToken })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
