// The clients as an app on another machine gets them: from the service's own
// /sdk, installed into projects outside this workspace (temp directories, the
// public registries for their dependencies), each doing a run, an upload
// attached to a run, and one typed error against a running service.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { makeTempDir } from './support/temp-dir.js';
import { ADMIN_TOKEN, api, mintToken } from './support/test-server.js';
import { FAKE_CLAUDE } from './support/processes.js';

const SDK_INDEX = fileURLToPath(new URL('../sdk/index.json', import.meta.url));
const INSTALL_TIMEOUT_MS = 300_000;

interface Listed {
  kind: 'npm' | 'python' | 'go';
  version: string;
  path: string;
  url: string;
  size: number;
  sha256: string;
  install: string;
  module?: string;
  goVersion?: string;
}

const temp = makeTempDir('clawdforge-sdk-');
let service: ServerProcess;
let listed: { version: string; artifacts: Listed[] };
/**
 * A token per consumer, minted up front: this process then blocks in spawnSync while a consumer works, so a
 * pooled connection of its own could sit past the service's keep-alive timeout and be reused as it closes.
 */
const tokens: Record<'node' | 'python' | 'go', string> = { node: '', python: '', go: '' };
const artifact = (kind: Listed['kind']) => listed.artifacts.find((entry) => entry.kind === kind)!;

/** Runs a command in a consumer's directory; its output, or a failure that shows both streams. */
function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  if (!existsSync(SDK_INDEX)) throw new Error(`${SDK_INDEX} is missing: run \`npm run build\` (npm test does)`);
  service = await startServerProcess({ DATA_DIR: join(temp.path, 'data'), CLAUDE_CONFIG_DIR: join(temp.path, 'claude'), ADMIN_BOOTSTRAP_TOKEN: ADMIN_TOKEN, CLAUDE_BIN: FAKE_CLAUDE }, temp.path);
  listed = (await api(service.url, 'GET', '/sdk')).body;
  for (const consumer of ['node', 'python', 'go'] as const) tokens[consumer] = await mintToken(service.url, `${consumer}-consumer`);
});
afterAll(async () => {
  await service?.stop();
  temp.remove();
});

describe('GET /sdk', () => {
  it('lists the three clients at the product version, with no token, each file matching its size and sha256', async () => {
    expect(listed.artifacts.map((entry) => entry.kind).sort()).toEqual(['go', 'npm', 'python']);
    const { PRODUCT_VERSION } = await import('@clawdforge/shared');
    expect(listed.version).toBe(PRODUCT_VERSION);
    for (const entry of listed.artifacts) {
      expect(entry.version).toBe(PRODUCT_VERSION);
      const response = await fetch(entry.url);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(entry.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    }
  });

  it('serves the Go module proxy protocol, and 404 for what it does not hold', async () => {
    const go = artifact('go');
    const base = `${service.url}/sdk/go/${go.module}/@v`;
    expect(await (await fetch(`${base}/list`)).text()).toBe(`${go.goVersion}\n`);
    expect(await (await fetch(`${base}/${go.goVersion}.info`)).json()).toMatchObject({ Version: go.goVersion });
    expect(await (await fetch(`${base}/${go.goVersion}.mod`)).text()).toContain(`module ${go.module}`);
    expect(await (await fetch(`${service.url}/sdk/go/${go.module}/@latest`)).json()).toMatchObject({ Version: go.goVersion });
    // The public sum database is not proxied here: a 404 sends the go command on to the next proxy.
    const sumdb = await fetch(`${service.url}/sdk/go/sumdb/sum.golang.org/supported`);
    expect(sumdb.status).toBe(404);
    expect(((await sumdb.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${service.url}/sdk/npm/../../package.json`)).status).toBe(404);
    expect((await fetch(`${service.url}/sdk/npm/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
  });

  it('answers HEAD with the length and no body, and refuses other methods', async () => {
    const npm = artifact('npm');
    const head = await fetch(npm.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(npm.size);
    const post = await fetch(npm.url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });
});

describe('a Node project elsewhere', () => {
  it('installs the SDK from the service URL, typechecks under --strict with nodenext, node16 and bundler, and runs', { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const token = tokens.node;
    const dir = join(temp.path, 'node-consumer');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    sh('npm', ['install', '--no-audit', '--no-fund', artifact('npm').url, 'typescript@5.9.3', '@types/node@20'], dir);
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { AuthenticationError, Clawdforge, ClawdforgeError, type RunResult } from '@clawdforge/client';

const [url, token] = process.argv.slice(2) as [string, string];
const client = new Clawdforge({ baseUrl: url, token });
const file = await client.uploadFile(new TextEncoder().encode('the notes'), { filename: 'notes.txt' });
const run: RunResult<{ cwd_files: string[]; prompt: string }> = await client.run({ prompt: 'read it', files: [file.file_token] });
const said = await client.run({ prompt: '[[text:hello from node]]' });
let deltas = 0;
for await (const event of client.stream({ prompt: '[[text:streamed to node]]' })) if (event.type === 'text') deltas += 1;
const chat = await client.sessions.create({ ttl_secs: 600 });
await chat.send('first turn');
const second: RunResult<{ history: string[] }> = await chat.send<{ history: string[] }>('second turn');
await chat.close();
const stranger = new Clawdforge({ baseUrl: url, token: 'cf_wrong', maxRetries: 0 });
const error: unknown = await stranger.run({ prompt: 'x' }, { timeoutMs: 5000 }).catch((caught: unknown) => caught);
console.log(JSON.stringify({
  said: said.result,
  deltas,
  history: second.result.history,
  attached: run.result.cwd_files.length,
  named: run.result.prompt.includes('uploaded as "notes.txt"'),
  authentication: error instanceof AuthenticationError,
  base: error instanceof ClawdforgeError,
  code: error instanceof ClawdforgeError ? error.code : null,
  status: error instanceof ClawdforgeError ? error.status : null,
  requestId: error instanceof ClawdforgeError ? typeof error.requestId : null,
}));
`,
    );
    const tsc = join(dir, 'node_modules/typescript/bin/tsc');
    const strict = ['--strict', '--noEmit', '--target', 'es2022', '--types', 'node', '--skipLibCheck', 'false', 'consumer.ts'];
    for (const [module, resolution] of [['nodenext', 'nodenext'], ['node16', 'node16'], ['esnext', 'bundler']]) {
      sh(process.execPath, [tsc, '--module', module!, '--moduleResolution', resolution!, ...strict], dir);
    }
    sh(process.execPath, [tsc, '--strict', '--module', 'nodenext', '--target', 'es2022', '--types', 'node', '--outDir', 'out', 'consumer.ts'], dir);
    const output = JSON.parse(sh(process.execPath, [join(dir, 'out/consumer.js'), service.url, token], dir));
    expect(output).toEqual({ said: 'hello from node', deltas: 3, history: ['first turn'], attached: 1, named: true, authentication: true, base: true, code: 'unauthorized', status: 401, requestId: 'string' });
    // A CommonJS app requires the same package.
    writeFileSync(
      join(dir, 'consumer.cjs'),
      `const { Clawdforge, AuthenticationError } = require('@clawdforge/client');
new Clawdforge({ baseUrl: process.argv[2], token: 'cf_wrong', maxRetries: 0 }).run({ prompt: 'x' })
  .catch((error) => console.log(JSON.stringify({ authentication: error instanceof AuthenticationError, code: error.code })));
`,
    );
    expect(JSON.parse(sh(process.execPath, [join(dir, 'consumer.cjs'), service.url], dir))).toEqual({ authentication: true, code: 'unauthorized' });
  });
});

describe('a Python venv elsewhere', () => {
  it('installs the wheel from the service URL and runs the facade', { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const token = tokens.python;
    const dir = join(temp.path, 'python-consumer');
    mkdirSync(dir);
    sh(process.env.PYTHON ?? 'python3', ['-m', 'venv', join(dir, 'venv')], dir);
    const python = join(dir, 'venv/bin/python');
    sh(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', artifact('python').url], dir);
    writeFileSync(
      join(dir, 'consumer.py'),
      `import json, sys
from clawdforge import AuthenticationError, Clawdforge, ClawdforgeError
from clawdforge_client.models import RunResponse

url, token = sys.argv[1:3]
with Clawdforge(url, token) as client:
    notes = client.upload_file(b"the notes", filename="notes.txt")
    run = client.run("read it", files=[notes.file_token])
    said = client.run("[[text:hello from python]]")
    with client.create_session(ttl_secs=600) as chat:
        chat.send("first turn")
        history = chat.send("second turn").result["history"]
    try:
        Clawdforge(url, "cf_wrong", max_retries=0).run("x")
        error = None
    except ClawdforgeError as caught:
        error = caught
print(json.dumps({
    "said": said.result,
    "history": history,
    "typed": isinstance(run, RunResponse),
    "attached": len(run.result["cwd_files"]),
    "named": 'uploaded as "notes.txt"' in run.result["prompt"],
    "authentication": isinstance(error, AuthenticationError),
    "code": error.code,
    "status": error.status,
    "request_id": isinstance(error.request_id, str),
}))
`,
    );
    const output = JSON.parse(sh(python, [join(dir, 'consumer.py'), service.url, token], dir));
    expect(output).toEqual({ said: 'hello from python', history: ['first turn'], typed: true, attached: 1, named: true, authentication: true, code: 'unauthorized', status: 401, request_id: true });
  });
});

// Skipped only where no Go tool chain is installed (a fresh clone needs only Node.js and Python); CI has one.
const hasGo = !spawnSync('go', ['version']).error;

describe('a Go module elsewhere', () => {
  it.skipIf(!hasGo)('fetches the client through the service as a module proxy, builds and runs', { timeout: INSTALL_TIMEOUT_MS }, async () => {
    const token = tokens.go;
    const go = artifact('go');
    const dir = join(temp.path, 'go-consumer');
    mkdirSync(dir);
    // The variables the README gives; the Go tool chain on this machine, not a downloaded one; a module cache
    // of its own, so the client comes from this service and not from an earlier run's cache.
    const env = {
      GOPROXY: `${service.url}/sdk/go,https://proxy.golang.org`,
      GONOSUMDB: go.module!,
      GOFLAGS: '-mod=mod -modcacherw',
      GOTOOLCHAIN: 'local',
      GOMODCACHE: join(dir, 'gomodcache'),
    };
    sh('go', ['mod', 'init', 'consumer'], dir, env);
    sh('go', ['get', `${go.module}@${go.goVersion}`], dir, env);
    writeFileSync(
      join(dir, 'main.go'),
      `package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"strings"

	clawdforge "${go.module}"
)

func main() {
	url, token := os.Args[1], os.Args[2]
	auth := func(token string) clawdforge.RequestEditorFn {
		return func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}
	}
	client, err := clawdforge.NewClientWithResponses(url)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	part, _ := form.CreateFormFile("file", "notes.txt")
	part.Write([]byte("the notes"))
	form.Close()
	uploaded, err := client.UploadFileWithBodyWithResponse(ctx, form.FormDataContentType(), &body, auth(token))
	if err != nil || uploaded.JSON201 == nil {
		panic(fmt.Sprint(err, uploaded.Status()))
	}
	files := []string{uploaded.JSON201.FileToken}
	run, err := client.RunWithResponse(ctx, clawdforge.RunJSONRequestBody{Prompt: "read it", Files: &files}, auth(token))
	if err != nil || run.JSON200 == nil {
		panic(fmt.Sprint(err, run.Status()))
	}
	report := run.JSON200.Result.(map[string]interface{})
	said, err := client.RunWithResponse(ctx, clawdforge.RunJSONRequestBody{Prompt: "[[text:hello from go]]"}, auth(token))
	if err != nil || said.JSON200 == nil {
		panic(fmt.Sprint(err, said.Status()))
	}
	session, err := client.CreateSessionWithResponse(ctx, clawdforge.CreateSessionJSONRequestBody{}, auth(token))
	if err != nil || session.JSON201 == nil {
		panic(fmt.Sprint(err, session.Status()))
	}
	var history interface{}
	for _, prompt := range []string{"first turn", "second turn"} {
		turn, err := client.SendTurnWithResponse(ctx, session.JSON201.SessionId, clawdforge.SendTurnJSONRequestBody{Prompt: prompt}, auth(token))
		if err != nil || turn.JSON200 == nil {
			panic(fmt.Sprint(err, turn.Status()))
		}
		history = turn.JSON200.Result.(map[string]interface{})["history"]
	}
	client.DeleteSessionWithResponse(ctx, session.JSON201.SessionId, auth(token))
	refused, err := client.RunWithResponse(ctx, clawdforge.RunJSONRequestBody{Prompt: "x"}, auth("cf_wrong"))
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(map[string]interface{}{
		"said":     said.JSON200.Result,
		"history":  history,
		"attached": len(report["cwd_files"].([]interface{})),
		"named":    strings.Contains(report["prompt"].(string), "uploaded as \\"notes.txt\\""),
		"status":   refused.StatusCode(),
		"code":     string(refused.JSON401.Error.Code),
	})
	fmt.Println(string(out))
}
`,
    );
    sh('go', ['build', '-o', 'consumer', '.'], dir, env);
    const output = JSON.parse(sh(join(dir, 'consumer'), [service.url, token], dir));
    expect(output).toEqual({ said: 'hello from go', history: ['first turn'], attached: 1, named: true, status: 401, code: 'unauthorized' });
  });
});

