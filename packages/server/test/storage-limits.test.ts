// Uploads cannot fill the disk: each app's max_stored_bytes and
// max_live_files, the service's MAX_STORAGE_BYTES. Refused from the declared
// length before the body when it surely does not fit, cut off while streaming
// when it turns out not to, checked exactly at commit; nothing is left behind.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE, waitFor } from './support/processes.js';
import { ADMIN_TOKEN, api, mintTokenWith, startTestServer, type TestServer } from './support/test-server.js';
import { head, rawExchange } from './support/raw-http.js';
import { multipartBody, rawUpload, uploadFile } from './support/upload.js';

const KiB = 1024;

describe('storage limits', () => {
  let server: TestServer;
  const storedFiles = () => readdirSync(join(server.dataDir, 'files'));
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE, MAX_STORAGE_BYTES: String(1024 * KiB) });
  });
  afterAll(() => server.dispose());

  it('refuses the upload past max_live_files, and takes one again after a delete', async () => {
    const token = await mintTokenWith(server.url, { name: 'few-files', max_live_files: 2 });
    const first = await uploadFile(server.url, token, 'one');
    await uploadFile(server.url, token, 'two');
    const before = storedFiles().length;
    const third = await uploadFile(server.url, token, 'three');
    expectError(third, 'storage_quota_exceeded');
    expect(third.body.error.message).toContain('max_live_files');
    expect(storedFiles().length).toBe(before);
    expect((await api(server.url, 'DELETE', `/files/${first.body.file_token}`, { token })).status).toBe(200);
    expect((await uploadFile(server.url, token, 'three')).status).toBe(201);
  });

  it('refuses from the declared length, before the body, what surely exceeds max_stored_bytes', async () => {
    const token = await mintTokenWith(server.url, { name: 'small-app', max_stored_bytes: 100 * KiB });
    expect((await uploadFile(server.url, token, 'x'.repeat(60 * KiB))).status).toBe(201);
    const before = storedFiles().length;
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(200 * KiB) }]);
    const refused = await rawUpload(server.url, { token, body, contentType, headers: { expect: '100-continue' } });
    expectError(refused, 'storage_quota_exceeded');
    expect(refused.sawContinue).toBe(false); // refused before the client was told to send
    expect(refused.body.error.message).toContain('max_stored_bytes');
    expect(storedFiles().length).toBe(before);
    expect((await uploadFile(server.url, token, 'x'.repeat(30 * KiB))).status).toBe(201);
  });

  it('cuts off a streamed upload (no length) at what the app has left, and keeps nothing of it', async () => {
    const token = await mintTokenWith(server.url, { name: 'streamer', max_stored_bytes: 50 * KiB });
    const before = storedFiles().length;
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(80 * KiB) }]);
    const stream = new ReadableStream({
      start(controller) {
        for (let offset = 0; offset < body.length; offset += 8 * KiB) controller.enqueue(new Uint8Array(body.subarray(offset, offset + 8 * KiB)));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/files`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('storage_quota_exceeded');
    expect(storedFiles().length).toBe(before);
    expect(storedFiles().some((name) => name.startsWith('.upload-'))).toBe(false);
  });

  it('lets two concurrent uploads that each fit, but not together, store only one', async () => {
    const token = await mintTokenWith(server.url, { name: 'racer', max_stored_bytes: 100 * KiB });
    const answers = await Promise.all([uploadFile(server.url, token, 'a'.repeat(70 * KiB)), uploadFile(server.url, token, 'b'.repeat(70 * KiB))]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 413]);
  });

  it('refuses any app past MAX_STORAGE_BYTES with storage_full, and lists what each app stores', async () => {
    const big = await mintTokenWith(server.url, { name: 'big-app' });
    const other = await mintTokenWith(server.url, { name: 'other-app' });
    expect((await uploadFile(server.url, big, 'x'.repeat(600 * KiB))).status).toBe(201);
    const full = await uploadFile(server.url, other, 'y'.repeat(500 * KiB));
    expectError(full, 'storage_full');
    const listed = await api(server.url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN });
    const bigApp = listed.body.tokens.find((token: { name: string }) => token.name === 'big-app');
    expect(bigApp).toMatchObject({ stored_bytes: 600 * KiB, stored_files: 1 });
    expect(listed.body.tokens.find((token: { name: string }) => token.name === 'other-app')).toMatchObject({ stored_bytes: 0, stored_files: 0 });
  });
});

describe('uploads cut short', () => {
  let server: TestServer;
  const storedFiles = () => readdirSync(join(server.dataDir, 'files'));
  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE }, { httpTimeouts: { headersMs: 2_000, requestMs: 20_000, bodyIdleMs: 500 } });
  });
  afterAll(() => server.dispose());

  it('answers 408 to an upload that stops arriving, and keeps nothing of it', async () => {
    const token = await mintTokenWith(server.url, { name: 'stalls' });
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(100 * KiB) }]);
    const exchange = rawExchange(server.url, head('POST', '/files', { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': body.length }));
    exchange.socket.write(body.subarray(0, 50 * KiB));
    const response = await exchange.response;
    expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status: 408, code: 'request_timeout' });
    await exchange.closed;
    expect(storedFiles()).toEqual([]);
  });

  it('refuses an upload sent a byte a chunk past 262,144 chunks with 413, and keeps nothing of it', async () => {
    const token = await mintTokenWith(server.url, { name: 'byte-a-chunk' });
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(300 * KiB, 0x61) }]);
    const exchange = rawExchange(server.url, head('POST', '/files', { authorization: `Bearer ${token}`, 'content-type': contentType, 'transfer-encoding': 'chunked' }));
    const text = body.toString('latin1');
    let chunked = '';
    for (const char of text) chunked += `1\r\n${char}\r\n`;
    exchange.socket.write(Buffer.from(chunked + '0\r\n\r\n', 'latin1'));
    const response = await exchange.response;
    expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status: 413, code: 'payload_too_large' });
    exchange.socket.destroy();
    await waitFor(() => storedFiles().length === 0, 5_000);
  });

  it.each([
    ['revoked', false],
    ['revoked and minted again under its name', true],
  ])('does not store a file whose token was %s while it streamed', async (_case, mintAgain) => {
    const name = mintAgain ? 'reminted-mid-upload' : 'revoked-mid-upload';
    const token = await mintTokenWith(server.url, { name });
    const { body, contentType } = multipartBody([{ kind: 'file', name: 'file', value: Buffer.alloc(100 * KiB) }]);
    const exchange = rawExchange(server.url, head('POST', '/files', { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': body.length }));
    exchange.socket.write(body.subarray(0, 50 * KiB));
    expect((await api(server.url, 'DELETE', `/admin/tokens/${name}`, { token: ADMIN_TOKEN })).status).toBe(200);
    if (mintAgain) await mintTokenWith(server.url, { name });
    exchange.socket.write(body.subarray(50 * KiB));
    const response = await exchange.response;
    expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status: 401, code: 'unauthorized' });
    expect(storedFiles()).toEqual([]);
  });
});
