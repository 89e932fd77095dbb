#!/usr/bin/env node
// `npm run openapi`: regenerates openapi/openapi.json from the router, and from
// that document the Python client and the Go client. All are committed; CI
// regenerates them and fails when they differ.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pnpm } from './pnpm.mjs';
import { ensurePythonEnv, root, run, venvBin, venvEnv } from './python-env.mjs';

const status = pnpm(['--filter', '@clawdforge/server', 'run', 'openapi']);
if (status !== 0) process.exit(status);

ensurePythonEnv();
run(join(venvBin, 'openapi-python-client'), [
  'generate',
  '--path', 'openapi/openapi.json',
  '--config', 'openapi/python/config.yml',
  '--output-path', 'openapi/python/clawdforge-client',
  '--meta', 'setup',
  '--overwrite',
], { env: venvEnv, cwd: root });
// ruff's cache is not part of the client, and differs run to run.
rmSync(join(root, 'openapi/python/clawdforge-client/.ruff_cache'), { recursive: true, force: true });
console.log('wrote openapi/python/clawdforge-client');

// The Go client: oapi-codegen at a pinned version, run through `go run` (the Go tool chain fetches it).
const OAPI_CODEGEN = 'github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2';
if (spawnSync('go', ['version'], { stdio: 'ignore' }).error) {
  console.error('openapi/go not regenerated: no `go` on PATH (CI has one and checks it)');
} else {
  run('go', ['run', OAPI_CODEGEN, '-config', 'oapi-codegen.yaml', '../openapi.json'], { cwd: join(root, 'openapi/go'), env: { ...process.env, GOTOOLCHAIN: 'local' } });
  console.log('wrote openapi/go/client.gen.go');
}
