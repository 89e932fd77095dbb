// A refusal sent while the client is still sending its body must reach the
// client: the status and the error envelope, never EPIPE or ECONNRESET. Each
// mainstream client available here, many tries each, small and large bodies.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Clawdforge, ClawdforgeError } from '../../client/src/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE } from './support/processes.js';
import { makeTempDir } from './support/temp-dir.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { ADMIN_TOKEN, mintToken } from './support/test-server.js';

const MiB = 1024 * 1024;
const TRIES = 10;
const FIXTURES = fileURLToPath(new URL('./fixtures/refusal-clients/', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PYTHON = process.env.CLAWDFORGE_TEST_PYTHON ?? join(REPO, '.venv/bin/python');
// Clients run asynchronously: this process also runs the fetch and SDK clients.
const run = (command: string, args: string[], env?: NodeJS.ProcessEnv) =>
  promisify(execFile)(command, args, { encoding: 'utf8', maxBuffer: 16 * MiB, ...(env ? { env } : {}) }).then(
    ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ status: error.code ?? 1, stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) }),
  );
const works = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
// Each client is tried where it is installed. CI has them all; `npm test` makes
// .venv (requests, httpx) before vitest runs, a bare `vitest run` may come before it.
const HAVE = { curl: works('curl', ['--version']), go: works('go', ['version']), python: works(PYTHON, ['-c', 'import requests, httpx']) };

interface RefusalCase {
  name: string;
  path: string;
  token: string;
  kind: 'multipart' | 'raw';
  size: number;
  contentType: string;
  status: number;
  code: string;
}

interface Outcome {
  client: string;
  case: string;
  status?: number;
  code?: string;
  error?: string;
}

const temp = makeTempDir('clawdforge-refusals-');
// A service process of its own, as in real use: in this process, client and server would share one event loop.
let server: ServerProcess;
let cases: RefusalCase[];

beforeAll(async () => {
  server = await startServerProcess({ CLAUDE_BIN: FAKE_CLAUDE, MAX_UPLOAD_BYTES: String(MiB), DATA_DIR: join(temp.path, 'data'), ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN }, temp.path);
  const token = await mintToken(server.url, 'app');
  const elsewhere = await mintToken(server.url, 'lan-only', ['10.0.0.0/8']);
  const base = { path: '/files', kind: 'multipart' as const, contentType: '' };
  cases = [
    { ...base, name: 'upload, wrong token, 1 byte', token: 'cf_wrong', size: 1, status: 401, code: 'unauthorized' },
    { ...base, name: 'upload, wrong token, 8 MiB', token: 'cf_wrong', size: 8 * MiB, status: 401, code: 'unauthorized' },
    { ...base, name: 'upload over MAX_UPLOAD_BYTES', token, size: 8 * MiB, status: 413, code: 'payload_too_large' },
    { ...base, name: 'upload from an address the token excludes', token: elsewhere, size: 2 * MiB, status: 403, code: 'forbidden_ip' },
    { name: 'upload that is not multipart', path: '/files', token, kind: 'raw', contentType: 'application/octet-stream', size: 2 * MiB, status: 415, code: 'unsupported_media_type' },
    { name: 'run, wrong token, 3 MiB of JSON', path: '/run', token: 'cf_wrong', kind: 'raw', contentType: 'application/json', size: 3 * MiB, status: 401, code: 'unauthorized' },
  ];
});
afterAll(async () => {
  await server?.stop();
  temp.remove();
});

/** Every outcome is the case's status and code; the failures, for a readable diff. */
function wrong(outcomes: Outcome[]): Outcome[] {
  const expected = new Map(cases.map((c) => [c.name, c]));
  return outcomes.filter((outcome) => outcome.status !== expected.get(outcome.case)!.status || outcome.code !== expected.get(outcome.case)!.code);
}

const payload = (size: number) => Buffer.alloc(size, 0x78);

describe('refusals every client reads', () => {
  it('Node fetch (undici), with FormData and with a streamed body', async () => {
    const outcomes: Outcome[] = [];
    for (const c of cases) {
      for (let i = 0; i < TRIES; i++) {
        for (const style of ['buffered', 'streamed'] as const) {
          const headers: Record<string, string> = { authorization: `Bearer ${c.token}` };
          let body: FormData | Buffer | ReadableStream<Uint8Array>;
          if (c.kind === 'multipart' && style === 'buffered') {
            body = new FormData();
            body.append('file', new Blob([payload(c.size)]), 'upload.bin');
          } else {
            const bytes = c.kind === 'multipart' ? multipart(payload(c.size)) : payload(c.size);
            headers['content-type'] = c.kind === 'multipart' ? 'multipart/form-data; boundary=refusal-test' : c.contentType;
            body = style === 'buffered' ? bytes : streamOf(bytes);
          }
          try {
            const response = await fetch(server.url + c.path, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
            const json = (await response.json()) as { error?: { code?: string } };
            outcomes.push({ client: `fetch ${style}`, case: c.name, status: response.status, code: json.error?.code ?? 'none' });
          } catch (error) {
            outcomes.push({ client: `fetch ${style}`, case: c.name, error: String((error as Error).cause ?? error) });
          }
        }
      }
    }
    expect(outcomes).toHaveLength(cases.length * TRIES * 2);
    expect(wrong(outcomes)).toEqual([]);
  }, 120_000);

  it('the SDK', async () => {
    const outcomes: Outcome[] = [];
    for (const c of cases.filter((candidate) => candidate.kind === 'multipart')) {
      const client = new Clawdforge({ baseUrl: server.url, token: c.token, maxRetries: 0 });
      for (let i = 0; i < TRIES; i++) {
        try {
          await client.uploadFile(payload(c.size), { filename: 'upload.bin' });
          outcomes.push({ client: 'sdk', case: c.name, status: 201, code: 'none' });
        } catch (error) {
          if (error instanceof ClawdforgeError && error.status > 0) outcomes.push({ client: 'sdk', case: c.name, status: error.status, code: error.code });
          else outcomes.push({ client: 'sdk', case: c.name, error: String(error) });
        }
      }
    }
    expect(outcomes.length).toBeGreaterThan(0);
    expect(wrong(outcomes)).toEqual([]);
  }, 120_000);

  it.skipIf(!HAVE.curl)('curl, with and without Expect: 100-continue', async () => {
    const outcomes: Outcome[] = [];
    for (const c of cases) {
      const file = join(temp.path, `curl-${c.size}.bin`);
      if (!existsSync(file)) writeFileSync(file, payload(c.size));
      for (let i = 0; i < TRIES; i++) {
        for (const expectHeader of [[], ['-H', 'Expect:']]) {
          const bodyFile = join(temp.path, 'curl-answer.json');
          const args = ['-sS', '--max-time', '30', '-o', bodyFile, '-w', '%{http_code}', '-H', `Authorization: Bearer ${c.token}`, ...expectHeader];
          args.push(...(c.kind === 'multipart' ? ['-F', `file=@${file}`] : ['--data-binary', `@${file}`, '-H', `Content-Type: ${c.contentType}`]));
          const result = await run('curl', [...args, server.url + c.path]);
          const client = `curl${expectHeader.length ? ' no-expect' : ''}`;
          if (result.status !== 0) {
            outcomes.push({ client, case: c.name, error: result.stderr.trim() });
            continue;
          }
          const code = (JSON.parse(readFileSync(bodyFile, 'utf8')) as { error?: { code?: string } }).error?.code ?? 'none';
          outcomes.push({ client, case: c.name, status: Number(result.stdout), code });
        }
      }
    }
    expect(wrong(outcomes)).toEqual([]);
  }, 120_000);

  it.skipIf(!HAVE.python)('Python requests and httpx', async () => {
    const result = await run(PYTHON, [join(FIXTURES, 'clients.py'), server.url, JSON.stringify(cases), String(TRIES)]);
    expect(result.stderr).toBe('');
    const outcomes = JSON.parse(result.stdout) as Outcome[];
    expect(outcomes).toHaveLength(cases.length * TRIES * 2);
    expect(wrong(outcomes)).toEqual([]);
  }, 180_000);

  it.skipIf(!HAVE.go)('Go net/http', async () => {
    const cache = join(tmpdir(), 'clawdforge-go-cache');
    mkdirSync(cache, { recursive: true });
    const env = { ...process.env, GOCACHE: cache, GOTOOLCHAIN: 'local', GOFLAGS: '', GO111MODULE: 'off' };
    const result = await run('go', ['run', join(FIXTURES, 'main.go'), server.url, JSON.stringify(cases), String(TRIES)], env);
    expect(result.status, result.stderr).toBe(0);
    const outcomes = JSON.parse(result.stdout) as Outcome[];
    expect(outcomes).toHaveLength(cases.length * TRIES);
    expect(wrong(outcomes)).toEqual([]);
  }, 180_000);
});

/** A multipart body with one `file` part. */
function multipart(data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from('--refusal-test\r\nContent-Disposition: form-data; name="file"; filename="upload.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
    data,
    Buffer.from('\r\n--refusal-test--\r\n'),
  ]);
}

/** The bytes as a stream of 64 KiB pieces: sent chunked, with no Content-Length. */
function streamOf(bytes: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + 64 * 1024)));
      offset += 64 * 1024;
    },
  });
}
